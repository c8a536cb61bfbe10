/**
 * Delta delivery end to end: the embedded core (SQLite) at HQ and a real agent
 * over TLS. A tree delivered again sends no file bodies; a file changed at HQ
 * is sent again; a file the vendor changed is reported and handled per the
 * `vendorChanged` policy; names land under the bytes they have on disk.
 */
import { readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { expectSameTree, makeTree } from './harness.ts';
import { startStudio, type Studio } from './studio.ts';
import { waitForJobEnd } from '../../../support/transfer-wait.ts';

let studio: Studio | undefined;
afterEach(async () => {
  await studio?.close();
  studio = undefined;
});

const TREE = { 'shot/plate.1001.exr': 200_000, 'shot/plate.1002.exr': 150_000, 'shot/notes.txt': 300, 'shot/ref/a.jpg': 9_000 };

describe('delta delivery', () => {
  it('delivers an unchanged tree again without sending a file body, and says the files were already there', async () => {
    studio = await startStudio();
    await makeTree(studio.hqRoot, TREE);
    const first = await studio.deliver('first', ['shot']);
    expect(first).toMatchObject({ status: 'done', progress: { filesDone: 4, filesPresent: 0 } });
    const sent = studio.transport.stats().bytesSent;
    expect(sent).toBeGreaterThanOrEqual(359_300);

    const again = await studio.deliver('again', ['shot']);
    expect(again).toMatchObject({ status: 'done', progress: { fraction: 1, filesDone: 4, filesTotal: 4, filesPresent: 4, bytesPresent: 359_300 } });
    expect(studio.transport.stats().bytesSent).toBe(sent);
    const [task] = await studio.adapter.listTasks(again.id);
    expect(task).toMatchObject({ filesPresent: 4, vendorChanged: [] });

    // Changed at HQ: only that file goes again.
    await writeFile(path.join(studio.hqRoot, 'shot/notes.txt'), 'new notes from HQ');
    const third = await studio.deliver('third', ['shot']);
    expect(third.progress).toMatchObject({ filesDone: 4, filesPresent: 3, filesVendorChanged: 0 });
    expect(studio.transport.stats().bytesSent).toBe(sent + 'new notes from HQ'.length);
    await expectSameTree(path.join(studio.hqRoot, 'shot'), path.join(studio.vendorRoot, 'shot'));
  });

  it('skips files already in place after the agent lost its record (it hashes them), and after HQ lost its own', async () => {
    studio = await startStudio();
    await makeTree(studio.hqRoot, TREE);
    await studio.deliver('first', ['shot']);
    const sent = studio.transport.stats().bytesSent;
    await studio.agent.close();
    await import('node:fs/promises').then((fs) => fs.rm(studio!.agentState, { recursive: true, force: true }));
    await studio.startAgent();
    const again = await studio.deliver('again', ['shot']);
    expect(again.progress).toMatchObject({ filesPresent: 4 });
    expect(studio.transport.stats().bytesSent).toBe(sent);
  });

  for (const policy of ['rename', 'keep', 'overwrite'] as const) {
    it(`reports a file the vendor changed and handles it per vendorChanged: ${policy}`, async () => {
      studio = await startStudio({ wire: { vendorChanged: policy } });
      await makeTree(studio.hqRoot, TREE);
      await studio.deliver('first', ['shot']);
      const vendorFile = path.join(studio.vendorRoot, 'shot/notes.txt');
      await writeFile(vendorFile, 'the vendor edited this');
      const when = new Date(Date.UTC(2025, 5, 1));
      await utimes(vendorFile, when, when);

      const again = await studio.deliver('again', ['shot']);
      expect(again.status).toBe('done');
      expect(again.progress).toMatchObject({ filesDone: 4, filesPresent: 3, filesVendorChanged: 1 });
      const [task] = await studio.adapter.listTasks(again.id);
      expect(task!.vendorChanged).toEqual([expect.objectContaining({ path: 'shot/notes.txt', action: policy })]);
      const hqBytes = await readFile(path.join(studio.hqRoot, 'shot/notes.txt'));
      const names = await readdir(path.join(studio.vendorRoot, 'shot'));
      if (policy === 'keep') {
        expect(await readFile(vendorFile, 'utf8')).toBe('the vendor edited this');
        expect(names.filter((name) => name.includes('.vendor-'))).toEqual([]);
      } else {
        expect((await readFile(vendorFile)).equals(hqBytes)).toBe(true);
      }
      if (policy === 'rename') {
        const aside = names.filter((name) => /^notes\.vendor-\d{8}T\d{6}\.txt$/.test(name));
        expect(aside).toHaveLength(1);
        expect(task!.vendorChanged![0]!.asideAs).toBe(`shot/${aside[0]}`);
        expect(await readFile(path.join(studio.vendorRoot, 'shot', aside[0]!), 'utf8')).toBe('the vendor edited this');
        expect(studio.activity).toContainEqual({ type: 'set-aside', path: 'shot/notes.txt', asideAs: `shot/${aside[0]}` });
      }
      if (policy === 'overwrite') expect(names.filter((name) => name.includes('.vendor-'))).toEqual([]);
    });
  }

  it('delivers NFD names and 239-byte names under the same bytes, and reports a name clash between forms', async () => {
    studio = await startStudio();
    const nfd = 'Cafe\u0301 re\u0301sume\u0301.txt';
    const long = `${'x'.repeat(235)}.exr`;
    expect(Buffer.byteLength(long)).toBe(239);
    await makeTree(studio.hqRoot, { [`names/${nfd}`]: 1_000, [`names/${long}`]: 100_000, [`names/de\u0301ja\u0300/small.txt`]: 10 });
    const job = await studio.deliver('names', ['names']);
    expect(job).toMatchObject({ status: 'done', progress: { filesDone: 3 } });
    const landed = await readdir(path.join(studio.vendorRoot, 'names'));
    expect(landed.map((name) => Buffer.from(name).toString('hex')).sort()).toEqual(
      [nfd, long, 'de\u0301ja\u0300'].map((name) => Buffer.from(name).toString('hex')).sort(),
    );
    await expectSameTree(path.join(studio.hqRoot, 'names'), path.join(studio.vendorRoot, 'names'));

    // The same name in NFC beside the NFD one: the first in byte order goes, the other is refused by name.
    await writeFile(path.join(studio.hqRoot, 'names', nfd.normalize('NFC')), 'composed');
    const clash = await studio.deliver('clash', ['names']);
    expect(clash.status).toBe('failed');
    const [task] = await studio.adapter.listTasks(clash.id);
    expect(task).toMatchObject({ status: 'failed', lastError: { code: 'TRANSFER_NAME_CLASH' } });
  });
});

describe('an agent coming back', () => {
  it('gets the delivery within seconds, not after the retry delay its absence ran up', async () => {
    studio = await startStudio({ wire: { reconnectTimeoutMs: 300 }, retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    await makeTree(studio.hqRoot, TREE);
    await studio.agent.close();
    const watching = new AbortController();
    const timer = setTimeout(() => watching.abort(), 10_000);
    const failed = (async () => {
      for await (const event of studio!.adapter.watch({ signal: watching.signal })) {
        if (event.type === 'task.status' && event.task.status === 'failed') return event.task;
      }
      throw new Error('the task never failed while the agent was away');
    })();
    const job = await studio.adapter.ensureJob({ name: 'late', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, tasks: [{ source: 'shot' }] });
    const task = await failed.finally(() => (clearTimeout(timer), watching.abort()));
    expect(task.lastError?.code).toBe('TRANSFER_AGENT_OFFLINE');
    const started = performance.now();
    await studio.startAgent();
    const done = await waitForJobEnd(studio.adapter, job.id, 10_000);
    expect(done.status).toBe('done');
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
