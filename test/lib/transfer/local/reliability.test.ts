import { spawn } from 'node:child_process';
import { mkdir, open, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../lib/transfer/core/db.ts';
import { createLedger, createManualClock } from '../../../../lib/transfer/core/index.ts';
import { createEmbeddedTransfer } from '../../../../lib/transfer/embedded.ts';
import { writeChunkToDisk, type WriteChunk } from '../../../../lib/transfer/local/copy.ts';
import { createLocalTransport } from '../../../../lib/transfer/local/index.ts';
import type { FilePlan, SendOptions } from '../../../../lib/transfer/transport.ts';
import { partialPath } from '../../../../lib/transfer/wire/names.ts';
import type { JobEvent } from '../../../../lib/transfer/types.ts';
import { writeTree } from '../../../conformance/transfer-helpers.ts';
import { nextEvent, tempRoots } from '../setup.ts';

const CHUNK = 64 * 1024;
const vendor = { kind: 'vendor', vendor: 'CompersInc' } as const;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const tmp = await tempRoots();
  cleanups.push(tmp.cleanup);
  await writeTree(tmp.roots.hq.proj, { 'plates/big.exr': 10 * CHUNK + 123 });
  return tmp;
}

const written = (log: { file: FilePlan; index: number }[]) => log.map((entry) => entry.index);

describe('local transport reliability', () => {
  it('resumes after kill -9 without re-sending verified chunks', async () => {
    const tmp = await setup();
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../../support/transfer-crash-child.ts', import.meta.url)), JSON.stringify({ dataDir: tmp.dataDir, roots: tmp.roots, chunkSize: CHUNK, hangAt: 6, source: 'plates/big.exr' })], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('child never reached chunk 6')), 20_000);
      child.stdout.on('data', (data: Buffer) => data.toString().includes('in-flight') && (clearTimeout(timer), resolve()));
      child.once('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const peek = new Database(path.join(tmp.dataDir, 'transfer.db'), { readonly: true });
    const verified = (peek.prepare('SELECT idx FROM chunks ORDER BY idx').all() as { idx: number }[]).map((row) => row.idx);
    const status = (peek.prepare('SELECT status FROM tasks').get() as { status: string }).status;
    peek.close();
    expect(verified).toEqual([0, 1, 2, 3, 4, 5]);
    expect(status).toBe('executing');
    await expect(readFile(path.join(tmp.roots.vendors.CompersInc, 'plates/big.exr'))).rejects.toMatchObject({ code: 'ENOENT' });

    const log: { file: FilePlan; index: number }[] = [];
    const adapter = createEmbeddedTransfer({ dataDir: tmp.dataDir, roots: tmp.roots, transports: [createLocalTransport({ roots: tmp.roots, chunkSize: CHUNK, onChunk: (file, index) => log.push({ file, index }) })] });
    cleanups.push(() => adapter.close());
    const job = await adapter.findJob('crash');
    if ((await adapter.getJob(job?.id as string))?.status !== 'done') {
      for await (const event of adapter.watch({ jobId: job?.id as string, signal: AbortSignal.timeout(20_000) })) if (event.type === 'job.post-done') break;
    }
    expect(written(log)).toEqual([6, 7, 8, 9, 10]);
    const after = new Database(path.join(tmp.dataDir, 'transfer.db'), { readonly: true });
    expect((after.prepare('SELECT count(*) AS n FROM chunks').get() as { n: number }).n).toBe(0); // ledger dropped once done
    after.close();
    const [src, dst] = await Promise.all([readFile(path.join(tmp.roots.hq.proj, 'plates/big.exr')), readFile(path.join(tmp.roots.vendors.CompersInc, 'plates/big.exr'))]);
    expect(dst.equals(src)).toBe(true);
  });

  it('detects a corrupted chunk on disk and re-sends only that chunk', async () => {
    const tmp = await setup();
    const db = openDatabase(path.join(tmp.dataDir, 'ledger.db'));
    cleanups.push(async () => {
      db.close();
    });
    const log: { file: FilePlan; index: number }[] = [];
    const transport = createLocalTransport({ roots: tmp.roots, chunkSize: CHUNK, onChunk: (file, index) => log.push({ file, index }) });
    const [file] = await transport.list({ kind: 'hq' }, [{ taskId: 't1', source: 'plates', destination: 'plates' }], new AbortController().signal);
    const results: boolean[] = [];
    const controller = new AbortController();
    const base = (signal: AbortSignal): SendOptions => ({
      from: { kind: 'hq' },
      to: vendor,
      ledger: createLedger(db, 't1'),
      signal,
      onProgress: () => undefined,
      onFileDone: (_file, result) => results.push(result.ok),
    });
    // First attempt stops after four chunks (the pause/abort path).
    const first = base(controller.signal);
    await transport.send([file as FilePlan], { ...first, onProgress: () => log.length === 4 && controller.abort() });
    expect(written(log)).toEqual([0, 1, 2, 3]);
    const partial = partialPath(path.join(tmp.roots.vendors.CompersInc, 'plates/big.exr'));
    const handle = await open(partial, 'r+');
    await handle.write(Buffer.from('rotten bytes'), 0, 12, CHUNK + 100); // corrupt chunk 1
    await handle.close();
    log.length = 0;
    await transport.send([file as FilePlan], base(new AbortController().signal));
    expect(written(log)).toEqual([4, 5, 6, 7, 8, 9, 10, 1]);
    expect(results).toEqual([true]);
    const [src, dst] = await Promise.all([readFile(path.join(tmp.roots.hq.proj, 'plates/big.exr')), readFile(path.join(tmp.roots.vendors.CompersInc, 'plates/big.exr'))]);
    expect(dst.equals(src)).toBe(true);
  });

  it('fails the task on a full disk with a clear error and resumes when space returns', async () => {
    const tmp = await setup();
    let full = false;
    let spaceBack = false;
    const log: number[] = [];
    const writeChunk: WriteChunk = async (handle, data, position) => {
      if (position / CHUNK >= 3 && !spaceBack) {
        full = true;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      await writeChunkToDisk(handle, data, position);
    };
    const clock = createManualClock();
    const adapter = createEmbeddedTransfer({
      dataDir: tmp.dataDir,
      roots: tmp.roots,
      clock,
      transports: [createLocalTransport({ roots: tmp.roots, chunkSize: CHUNK, writeChunk, onChunk: (_file, index) => log.push(index) })],
    });
    cleanups.push(() => adapter.close());
    const failedEvent = collectFirst(adapter.watch.bind(adapter), (e) => e.type === 'task.status' && e.task.status === 'failed');
    const job = await adapter.ensureJob({ name: 'full', source: { kind: 'hq' }, destination: vendor, tasks: [{ source: 'plates' }] });
    const failed = await failedEvent;
    expect(full).toBe(true);
    expect(failed.type === 'task.status' && failed.task.lastError).toMatchObject({ code: 'TRANSFER_DISK_FULL' });
    expect((await adapter.getJob(job.id))?.status).toBe('waiting');
    spaceBack = true;
    const done = collectFirst(adapter.watch.bind(adapter), (e) => e.type === 'job.post-done');
    clock.advance(1000);
    await done;
    expect(log).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const [src, dst] = await Promise.all([readFile(path.join(tmp.roots.hq.proj, 'plates/big.exr')), readFile(path.join(tmp.roots.vendors.CompersInc, 'plates/big.exr'))]);
    expect(dst.equals(src)).toBe(true);
  });

  it('refuses symlinks that lead out of the source or destination root', async () => {
    const tmp = await setup();
    const outside = path.join(tmp.dir, 'outside');
    await mkdir(outside, { recursive: true });
    await writeFile(path.join(outside, 'secret.txt'), 'secret');
    await symlink(outside, path.join(tmp.roots.hq.proj, 'plates/escape'));
    await mkdir(path.join(tmp.roots.hq.proj, 'clean'), { recursive: true });
    await writeFile(path.join(tmp.roots.hq.proj, 'clean/ok.txt'), 'ok');
    await symlink(outside, path.join(tmp.roots.vendors.CompersInc, 'clean'));
    const adapter = createEmbeddedTransfer({ dataDir: tmp.dataDir, roots: tmp.roots, transports: [createLocalTransport({ roots: tmp.roots, chunkSize: CHUNK })] });
    cleanups.push(() => adapter.close());
    const failures = collectFirst(adapter.watch.bind(adapter), (e) => e.type === 'job.post-failed');
    const job = await adapter.ensureJob({ name: 'hostile', source: { kind: 'hq' }, destination: vendor, tasks: [{ source: 'plates' }, { source: 'clean' }] });
    await failures;
    const tasks = await adapter.listTasks(job.id);
    expect(tasks.map((t) => [t.source, t.status, t.lastError?.code])).toEqual([
      ['plates', 'failed', 'PATH_OUTSIDE_ROOT'],
      ['clean', 'failed', 'PATH_OUTSIDE_ROOT'],
    ]);
    await expect(readFile(path.join(outside, 'ok.txt'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

/** Resolves with the first event from a fresh watch that matches. */
function collectFirst(watch: (options: { signal: AbortSignal }) => AsyncIterable<JobEvent>, match: (event: JobEvent) => boolean) {
  return nextEvent((listener) => {
    const controller = new AbortController();
    void (async () => {
      for await (const event of watch({ signal: controller.signal })) listener(event);
    })();
    return () => controller.abort();
  }, match);
}

describe('local transport errors', () => {
  it('waits for an offline root and refuses a folder in the way of a file', async () => {
    const tmp = await setup();
    const roots = { hq: tmp.roots.hq, vendors: { CompersInc: path.join(tmp.dir, 'not-mounted') } };
    const transport = createLocalTransport({ roots, chunkSize: CHUNK });
    const signal = new AbortController().signal;
    const files = await transport.list({ kind: 'hq' }, [{ taskId: 't', source: 'plates/big.exr', destination: 'plates/big.exr' }], signal);
    const ledger = createLedger(openDatabase(':memory:'), 't');
    const results: unknown[] = [];
    const options: SendOptions = { from: { kind: 'hq' }, to: vendor, ledger, signal, onProgress: () => undefined, onFileDone: (_f, r) => results.push(r) };
    await expect(transport.send(files, options)).rejects.toMatchObject({ code: 'TRANSFER_ROOT_OFFLINE', retryable: true });
    await mkdir(path.join(tmp.dir, 'not-mounted/plates/big.exr'), { recursive: true });
    await transport.send(files, options);
    expect(results).toMatchObject([{ ok: false, error: { code: 'TRANSFER_DESTINATION_CONFLICT', retryable: false } }]);
  });
});
