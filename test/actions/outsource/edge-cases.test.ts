import { mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ActionItem, SelectionItem } from '../../../lib/tracker/index.ts';
import { createEmbeddedTransfer, createRemoteTransfer } from '../../../lib/transfer/index.ts';
import { CORA, createStudio, type Studio } from '../../support/outsource-studio.ts';
import { waitForJobEnd } from '../../support/transfer-wait.ts';

const OUTSOURCE: ActionItem = { actionIdentifier: 'outsource', label: 'Outsource' };
const JOB = 'Outsource - download - scd - CompersInc - 261121';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Outsource action: edge cases', () => {
  let studio: Studio;
  afterEach(async () => studio?.close());
  const launch = (selection: SelectionItem[], values?: Record<string, unknown>) => studio.tracker.ui.launch(OUTSOURCE, selection, CORA, values);
  const text = (reply: Awaited<ReturnType<typeof launch>>) => (reply?.type === 'message' ? reply.message : JSON.stringify(reply));

  it('creates a missing vendor home share with TO_CLIENT read-only and FROM_CLIENT write, nothing else', async () => {
    studio = await createStudio();
    expect(await studio.transfer.getShare('CompersInc')).toBeUndefined();
    await launch([await studio.task('scd', '0010', '0010', 'cleanup')]);
    expect(await studio.transfer.getShare('CompersInc')).toEqual({ vendor: 'CompersInc', root: '_VENDORS/CompersInc', volume: 'proj' });
    const grants = await studio.transfer.listGrants('CompersInc');
    expect(grants.filter((g) => g.path.startsWith('_VENDORS/'))).toEqual([
      { vendor: 'CompersInc', path: '_VENDORS/CompersInc/FROM_CLIENT', read: false, write: true },
      { vendor: 'CompersInc', path: '_VENDORS/CompersInc/TO_CLIENT', read: true, write: false },
    ]);
    // Besides its home, the vendor may only read what was delivered to it (the transfer core grants each source).
    const sources = new Set((await studio.transfer.listTasks((await studio.transfer.findJob(JOB))!.id)).map((t) => t.source));
    expect(grants.filter((g) => !g.path.startsWith('_VENDORS/')).every((g) => g.read && !g.write && sources.has(g.path))).toBe(true);
    for (const folder of ['TO_CLIENT', 'FROM_CLIENT']) expect((await stat(path.join(studio.volume, '_VENDORS/CompersInc', folder))).isDirectory()).toBe(true);
    await studio.runtime.idle();
  });

  it('refuses a rule path that leaves the volume', async () => {
    studio = await createStudio({ settings: { rules: { Cleanup: { send: ['../elsewhere/{shot}'] } } } });
    const reply = await launch([await studio.task('scd', '0010', '0010', 'cleanup')]);
    expect(reply).toMatchObject({ success: false });
    expect(text(reply)).toMatch(/^scd\/0010\/0010\/cleanup: not outsourced: \.\.\/elsewhere\/\{shot\}: Refused path "\.\.\/elsewhere\/0010"/);
    expect(await studio.transfer.findJob(JOB)).toBeUndefined();
  });

  it('refuses a plate folder that links outside the volume', async () => {
    studio = await createStudio();
    const outside = path.join(studio.dir, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'secret.1001.exr'), 'x');
    await rm(path.join(studio.volume, 'scd/0010/0010/src/plates'), { recursive: true });
    await symlink(outside, path.join(studio.volume, 'scd/0010/0010/src/plates'));
    const reply = await launch([await studio.task('scd', '0010', '0010', 'cleanup')]);
    expect(text(reply)).toContain('scd/0010/0010/cleanup: not outsourced: plates: Path "scd/0010/0010/src/plates" resolves outside its root');
  });

  it('handles non-ASCII project, shot and file names end to end', async () => {
    const seed = {
      users: [
        { username: CORA, name: 'Cora', groups: ['Coordinators'] },
        { username: 'emma@compersinc.example', name: 'Emma', groups: ['Compers Inc'] },
      ],
      statuses: [{ name: 'Ready to start', state: 'not_started' }, { name: 'Outsourced', state: 'in_progress' }],
      taskTypes: ['Cleanup'],
      projects: [
        {
          name: 'fjörd',
          fullName: 'Fjörd — Ærø',
          fps: 25,
          sequences: [{ name: 'sé010', shots: [{ name: 'Überflug', frames: { start: 1, end: 2 }, tasks: [{ name: 'nettoyage', type: 'Cleanup', status: 'Ready to start', assignees: ['emma@compersinc.example'] }] }] }],
        },
      ],
    } as const;
    const files = { 'fjörd/sé010/Überflug/src/plates/Überflug_plaque.0001.exr': 'a', 'fjörd/sé010/Überflug/src/plates/Überflug_plaque.0002.exr': 'b' };
    studio = await createStudio({ seed: structuredClone(seed) as never, files });
    const reply = await launch([await studio.task('fjörd', 'sé010', 'Überflug', 'nettoyage')]);
    const job = 'Outsource - download - fjörd - CompersInc - 261121';
    expect(text(reply).split('\n')).toEqual([
      `Queued 1 task (2 files, 2 B) to Compers Inc in '${job}'`,
      'Note: fjörd/sé010/Überflug/nettoyage: references folder fjörd/sé010/Überflug/src/reference is missing (optional)',
    ]);
    await studio.runtime.idle();
    const found = await studio.transfer.findJob(job);
    await waitForJobEnd(studio.transfer, found!.id);
    expect(await readFile(path.join(studio.vendorRoot, 'fjörd/sé010/Überflug/src/plates/Überflug_plaque.0002.exr'), 'utf8')).toBe('b');
    const description = await readFile(path.join(studio.vendorRoot, 'fjörd/sé010/Überflug/nettoyage/outsource/fjörd_sé010_Überflug_nettoyage_description.html'), 'utf8');
    expect(description).toContain('Fjörd — Ærø');
    expect(description).toContain('fjörd_sé010_Überflug_nettoyage_v001');
  });

  it('keeps the request in the outbox while the transfer core is unreachable, and delivers it when it is back', async () => {
    const port = await closedPort();
    studio = await createStudio({ transfer: () => createRemoteTransfer({ url: `http://127.0.0.1:${port}/api/transfer`, token: 'offline-test-token' }) });
    const cleanup = await studio.task('scd', '0010', '0010', 'cleanup');
    const reply = await launch([cleanup]);
    expect(reply).toMatchObject({ type: 'message', success: true });
    expect(text(reply)).toBe(`The transfer service is unreachable: kept 1 task (11 files, 274 B) for Compers Inc in the outbox; they join '${JOB}' as soon as it is back`);
    await studio.runtime.idle();
    const kept = await studio.outsource.outbox.list();
    expect(kept.map((e) => e.reason.code)).toEqual(['TRANSFER_REMOTE_UNAVAILABLE', 'TRANSFER_REMOTE_UNAVAILABLE']);

    const back = createEmbeddedTransfer({ dataDir: path.join(studio.dir, 'core'), roots: { hq: { proj: studio.volume }, vendors: { CompersInc: studio.vendorRoot } } });
    try {
      const drained = await studio.outsource.outbox.drain(back);
      expect(drained).toMatchObject({ pending: 0, failed: [] });
      expect(drained.sent).toHaveLength(2);
      const job = await back.findJob(JOB);
      const tasks = await back.listTasks(job!.id);
      expect(tasks).toHaveLength(13);
      expect(tasks.find((t) => t.metadata.kind === 'manifest')?.status).not.toBe('onhold');
      expect(await studio.outsource.outbox.list()).toEqual([]);
      expect((await waitForJobEnd(back, job!.id)).status).toBe('done');
      expect(await readFile(path.join(studio.vendorRoot, 'scd/0010/0010/cleanup/outsource/scd_0010_0010_cleanup_manifest.json'), 'utf8')).toContain(cleanup.entityId);
    } finally {
      await back.close();
    }
  });

  it('appends a delivery with many transfer tasks right after the reply, durably through the outbox', async () => {
    studio = await createStudio({ inlineTaskLimit: 5 });
    const reply = await launch([await studio.task('scd', '0010', '0010', 'cleanup')]);
    expect(text(reply)).toBe(`Queued 1 task (11 files, 274 B) to Compers Inc in '${JOB}'`);
    const job = await studio.transfer.findJob(JOB);
    expect(job).toBeDefined();
    await studio.runtime.idle();
    expect(await studio.outsource.outbox.list()).toEqual([]);
    const tasks = await studio.transfer.listTasks(job!.id);
    expect(tasks).toHaveLength(13);
    expect((await waitForJobEnd(studio.transfer, job!.id)).status).toBe('done');
  });

  it('reports an unknown vendor code from the form clearly', async () => {
    studio = await createStudio();
    const reply = await launch([await studio.task('scd', '0020', '0010', 'cleanup')], { vendor: 'Nobody' });
    expect(reply).toMatchObject({ success: false });
    expect(text(reply)).toBe('Outsource failed: No vendor has the code "Nobody"\nUse one of: CompersInc, PaintCo.');
  });
});
