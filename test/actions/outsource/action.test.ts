import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MANIFEST_FORMAT, type Manifest } from '../../../lib/outsource/index.ts';
import type { ActionItem, SelectionItem } from '../../../lib/tracker/index.ts';
import type { TransferAdapter } from '../../../lib/transfer/index.ts';
import { CORA, createStudio, type Studio } from '../../support/outsource-studio.ts';
import { waitForJobEnd } from '../../support/transfer-wait.ts';

const JOB = 'Outsource - download - scd - CompersInc - 261121';
const OUTSOURCE: ActionItem = { actionIdentifier: 'outsource', label: 'Outsource' };

describe('Outsource action, end to end on the memory tracker and the embedded transfer core', () => {
  let studio: Studio;
  afterEach(async () => studio?.close());

  const launch = (selection: SelectionItem[], values?: Record<string, unknown>) => studio.tracker.ui.launch(OUTSOURCE, selection, CORA, values);
  const tasksOf = async (transfer: TransferAdapter, name: string) => {
    const job = await transfer.findJob(name);
    return job ? transfer.listTasks(job.id) : [];
  };

  it('is offered for tasks when vendors are set up, not for shots or an empty selection', async () => {
    studio = await createStudio();
    const cleanup = await studio.task('scd', '0010', '0010', 'cleanup');
    expect((await studio.tracker.ui.discover([cleanup], CORA)).map((i) => i.label)).toEqual(['Outsource']);
    expect(await studio.tracker.ui.discover([cleanup, { entityType: 'shot', entityId: 'x' }], CORA)).toEqual([]);
    expect(await studio.tracker.ui.discover([], CORA)).toEqual([]);
  });

  it('queues a vendor-assigned task straight away, then delivers files, description and manifest mirrored at the vendor', async () => {
    studio = await createStudio();
    const cleanup = await studio.task('scd', '0010', '0010', 'cleanup');
    const reply = await launch([cleanup]);
    expect(reply).toEqual({ type: 'message', success: true, message: `Queued 1 task (11 files, 274 B) to Compers Inc in '${JOB}'` });

    const job = await studio.transfer.findJob(JOB);
    expect(job).toMatchObject({ source: { kind: 'hq', volume: 'proj' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, mirrorPaths: true });
    const tasks = await studio.transfer.listTasks(job!.id);
    expect(tasks.map((t) => t.source).sort()).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `scd/0010/0010/src/plates/scd_0010_0010_plate.${1001 + i}.exr`),
      'scd/0010/0010/src/reference',
      'scd/0010/0010/cleanup/outsource/scd_0010_0010_cleanup_description.html',
      'scd/0010/0010/cleanup/outsource/scd_0010_0010_cleanup_manifest.json',
    ].sort());
    expect(tasks.every((t) => t.destination === t.source && t.metadata.trackerTaskId === cleanup.entityId)).toBe(true);
    expect(tasks.find((t) => t.metadata.kind === 'manifest')?.status).toBe('onhold');
    expect(tasks.every((t) => t.priority === 650)).toBe(true);

    await studio.runtime.idle();
    const messages = await studio.tracker.ui.messages(CORA);
    expect(messages.at(-1)).toMatchObject({ success: true, message: 'Manifests ready for 1 task (12 files hashed, 0 unchanged).' });
    expect(await studio.tracker.ui.jobs(CORA)).toMatchObject([{ status: 'done', fraction: 1, description: 'Outsource: manifest of scd/0010/0010/cleanup' }]);
    await waitForJobEnd(studio.transfer, job!.id);
    expect((await studio.transfer.getJob(job!.id))?.status).toBe('done');

    const at = (rel: string) => path.join(studio.vendorRoot, rel);
    expect(await readFile(at('scd/0010/0010/src/plates/scd_0010_0010_plate.1005.exr'), 'utf8')).toBe('scd_0010_0010 frame 1005\n');
    await expect(stat(at('scd/0010/0010/src/plates/notes.txt'))).rejects.toThrow();
    const description = await readFile(at('scd/0010/0010/cleanup/outsource/scd_0010_0010_cleanup_description.html'), 'utf8');
    for (const text of [
      '1001–1100 (100 frames)',
      '993–1108 (handles 8 + 8, 116 frames)',
      '24 fps',
      '1920x1080',
      'ACEScg',
      'Remove the boom mic in the top left from 1012 to 1040; keep the grain.',
      'handoff agent publish scd_0010_0010_cleanup_v001 --user emma@compersinc.example --check',
      'scd_0010_0010_plate.####.exr</code> 1001-1010',
    ]) {
      expect(description).toContain(text);
    }
    const manifest = JSON.parse(await readFile(at('scd/0010/0010/cleanup/outsource/scd_0010_0010_cleanup_manifest.json'), 'utf8')) as Manifest;
    expect(manifest).toMatchObject({ format: MANIFEST_FORMAT, vendor: 'CompersInc', job: JOB, task: { id: cleanup.entityId }, totals: { files: 12 } });
    expect(manifest.files.every((f) => /^[0-9a-f]{32}$/.test(f.hash))).toBe(true);

    const context = await studio.tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    expect(context?.task.status.name).toBe('Outsourced');
    const notes = await studio.tracker.listNotes({ kind: 'task', id: cleanup.entityId });
    expect(notes.at(-1)?.content.split('\n')[0]).toBe(`Outsourced to Compers Inc in '${JOB}'`);
  });

  it('a second click re-queues the same files instead of duplicating them, and adds no second note', async () => {
    studio = await createStudio();
    const cleanup = await studio.task('scd', '0010', '0010', 'cleanup');
    await launch([cleanup]);
    await studio.runtime.idle();
    const first = await tasksOf(studio.transfer, JOB);
    await waitForJobEnd(studio.transfer, first[0]!.jobId);
    const again = await launch([cleanup]);
    expect(again).toMatchObject({ success: true, message: `Queued 1 task (11 files, 274 B) again to Compers Inc in '${JOB}'` });
    await studio.runtime.idle();
    const second = await tasksOf(studio.transfer, JOB);
    expect(second.map((t) => t.id).sort()).toEqual(first.map((t) => t.id).sort());
    expect((await studio.transfer.listJobs()).filter((j) => j.name === JOB)).toHaveLength(1);
    expect((await waitForJobEnd(studio.transfer, first[0]!.jobId)).status).toBe('done');
    expect((await studio.tracker.ui.messages(CORA)).at(-1)?.message).toContain('(0 files hashed, 12 unchanged)');
    const notes = await studio.tracker.listNotes({ kind: 'task', id: cleanup.entityId });
    expect(notes.filter((n) => n.content.startsWith('Outsourced to'))).toHaveLength(1);
  });

  it('fifty concurrent launches for one vendor yield one job and no duplicate tasks', async () => {
    studio = await createStudio();
    const selection = [await studio.task('scd', '0010', '0010', 'cleanup'), await studio.task('scd', '0010', '0020', 'roto')];
    const replies = await Promise.all(Array.from({ length: 50 }, () => launch(selection)));
    expect(replies.every((r) => r?.type === 'message' && r.success)).toBe(true);
    await studio.runtime.idle();
    const jobs = (await studio.transfer.listJobs()).filter((j) => j.name === JOB);
    expect(jobs).toHaveLength(1);
    const tasks = await studio.transfer.listTasks(jobs[0]!.id);
    expect(new Set(tasks.map((t) => `${t.source}>${t.destination}`)).size).toBe(tasks.length);
    expect(tasks).toHaveLength(13 + 3);
    const notes = await studio.tracker.listNotes({ kind: 'task', id: selection[0]!.entityId });
    expect(notes.filter((n) => n.content.startsWith('Outsourced to'))).toHaveLength(1);
  });

  it('makes one job per project and vendor for a selection across projects', async () => {
    studio = await createStudio();
    const selection = [await studio.task('scd', '0010', '0010', 'cleanup'), await studio.task('mtn', '0100', '0010', 'cleanup')];
    const reply = await launch(selection);
    expect(reply?.type === 'message' && reply.message.split('\n')).toEqual([
      `Queued 1 task (11 files, 274 B) to Compers Inc in '${JOB}'`,
      "Queued 1 task (11 files, 274 B) to Compers Inc in 'Outsource - download - mtn - CompersInc - 261121'",
    ]);
    expect((await studio.transfer.listJobs()).map((j) => j.name).sort()).toEqual([JOB, 'Outsource - download - mtn - CompersInc - 261121'].sort());
    await studio.runtime.idle();
  });

  it('asks for a vendor when a task has no vendor assignee, then queues with the chosen vendor, note and priority', async () => {
    studio = await createStudio();
    const unassigned = await studio.task('scd', '0020', '0010', 'cleanup');
    const asked = await launch([unassigned]);
    expect(asked).toMatchObject({ type: 'form', title: 'Outsource', submitButtonLabel: 'Outsource' });
    const items = asked?.type === 'form' ? asked.items : [];
    expect(items[0]?.value).toContain('scd/0020/0010/cleanup: not assigned to a vendor');
    expect(items.find((i) => i.name === 'vendor')?.data).toEqual([
      { label: 'Compers Inc', value: 'CompersInc' },
      { label: 'Paint Co', value: 'PaintCo' },
    ]);
    const reply = await launch([unassigned], { vendor: 'PaintCo', note: 'Plates are graded; keep it', priority: '800' });
    expect(reply).toMatchObject({ success: true, message: "Queued 1 task (11 files, 274 B) to Paint Co in 'Outsource - download - scd - PaintCo - 261121'" });
    const tasks = await tasksOf(studio.transfer, 'Outsource - download - scd - PaintCo - 261121');
    expect(tasks.every((t) => t.priority === 800)).toBe(true);
    await studio.runtime.idle();
    const description = await readFile(path.join(studio.volume, 'scd/0020/0010/cleanup/outsource/scd_0020_0010_cleanup_description.html'), 'utf8');
    expect(description).toContain('Plates are graded; keep it');
    expect(items.find((i) => i.name === 'priority')?.value).toBeUndefined();
    await launch([unassigned], { vendor: 'CompersInc', note: '', priority: '' });
    expect((await tasksOf(studio.transfer, JOB)).every((t) => t.priority === 650)).toBe(true);
    await studio.runtime.idle();
  });

  it('refuses a task whose plate folder is missing, with its reason, and still queues the others', async () => {
    studio = await createStudio({ files: { 'scd/0010/0010/src/reference/ref.jpg': 'ref\n', 'scd/0010/0020/src/plates/p.1001.exr': 'p\n' } });
    const reply = await launch([await studio.task('scd', '0010', '0010', 'cleanup'), await studio.task('scd', '0010', '0020', 'roto')]);
    expect(reply).toMatchObject({ type: 'message', success: true });
    const lines = reply?.type === 'message' ? reply.message.split('\n') : [];
    expect(lines).toEqual([
      `Queued 1 task (1 file, 2 B) to Compers Inc in '${JOB}'`,
      'scd/0010/0010/cleanup: not outsourced: plates folder scd/0010/0010/src/plates is missing',
    ]);
    await studio.runtime.idle();
  });

  it('says why when nothing can be sent, without a stack trace', async () => {
    studio = await createStudio({ files: {} });
    const reply = await launch([await studio.task('scd', '0010', '0010', 'cleanup'), { entityType: 'task', entityId: 'gone' }]);
    expect(reply).toMatchObject({ type: 'message', success: false });
    const text = reply?.type === 'message' ? reply.message : '';
    expect(text).toContain('scd/0010/0010/cleanup: not outsourced: plates folder scd/0010/0010/src/plates is missing');
    expect(text).toContain('gone: not outsourced:');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
  });
});
