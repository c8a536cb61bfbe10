/**
 * The Outsource action on the ftrack tracker (the real @ftrack/api against the emulator),
 * clicked through the web-UI harness over the event hub, delivering with the embedded core.
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import outsourceAction from '../../../actions/outsource/action.ts';
import { createActionRuntime, type ActionRuntime } from '../../../lib/actions/index.ts';
import { startFtrackEmulator, type FtrackEmulator } from '../../../lib/emulators/ftrack/index.ts';
import { createWebUiHarness, type UiUser, type WebUiHarness } from '../../../lib/emulators/ftrack/harness.ts';
import { createOutsource, parseOutsourceSettings } from '../../../lib/outsource/index.ts';
import { createFtrackTracker } from '../../../lib/tracker/ftrack/index.ts';
import type { Tracker } from '../../../lib/tracker/index.ts';
import { createEmbeddedTransfer, type EmbeddedTransfer } from '../../../lib/transfer/index.ts';
import { CORA, TODAY, demoFiles, writeFiles } from '../../support/outsource-studio.ts';
import { waitForJobEnd } from '../../support/transfer-wait.ts';

const JOB = 'Outsource - download - scd - CompersInc - 261121';

describe('Outsource action on ftrack, through the web UI', () => {
  let dir: string;
  let emulator: FtrackEmulator;
  let tracker: Tracker;
  let transfer: EmbeddedTransfer;
  let runtime: ActionRuntime;
  let served: { close(): Promise<void> };
  let ui: WebUiHarness;
  let cora: UiUser;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-outsource-ftrack-'));
    const volume = path.join(dir, 'proj');
    const vendorRoot = path.join(dir, 'compers');
    await writeFiles(volume, demoFiles());
    await mkdir(vendorRoot);
    emulator = await startFtrackEmulator({ seed: 'demo' });
    tracker = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey });
    transfer = createEmbeddedTransfer({ dataDir: path.join(dir, 'data'), roots: { hq: { proj: volume }, vendors: { CompersInc: vendorRoot } } });
    const settings = parseOutsourceSettings({
      studio: 'Acme VFX',
      volumes: { proj: volume },
      vendors: { CompersInc: { name: 'Compers Inc', users: ['emma@compersinc.example'] } },
      rules: { Cleanup: { send: [{ template: 'plates', globs: ['*.exr'] }, { template: 'references', optional: true }] } },
    });
    const outsource = createOutsource({ settings, transfer, dataDir: path.join(dir, 'data'), now: () => TODAY });
    runtime = createActionRuntime({ tracker, actions: [outsourceAction], services: { outsource }, log: () => undefined });
    served = await tracker.actions!.serve(runtime);
    ui = await createWebUiHarness({ serverUrl: emulator.url, apiUser: emulator.user, apiKey: emulator.apiKey, replyWindowMs: 1500 });
    const user = await tracker.getUser({ username: CORA });
    cora = { id: user!.id, username: CORA };
    await ui.watch(cora);
  });
  afterEach(async () => {
    await ui?.close();
    await served?.close();
    await runtime?.close();
    await tracker?.close();
    await emulator?.close();
    await transfer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('discovers, launches, queues today\'s job, delivers mirrored files and updates the ftrack task once', async () => {
    const context = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    const selection = [{ entityType: 'task', entityId: context!.task.id }];
    const [item] = await ui.discover(selection, cora, { expected: 1 });
    expect(item).toMatchObject({ actionIdentifier: 'outsource', label: 'Outsource' });

    const [reply] = await ui.launch(item!, selection, cora, undefined, { expected: 1 });
    expect(reply).toMatchObject({ type: 'message', success: true, message: `Queued 1 task (11 files, 274 B) to Compers Inc in '${JOB}'` });
    const done = await ui.waitForMessage(cora.id, (m) => m.type === 'message' && m.message.startsWith('Manifests ready'), 15_000);
    expect(done).toMatchObject({ success: true, message: 'Manifests ready for 1 task (12 files hashed, 0 unchanged).' });

    const job = await transfer.findJob(JOB);
    const tasks = await transfer.listTasks(job!.id);
    expect(tasks).toHaveLength(13);
    expect(tasks.every((t) => t.metadata.trackerTaskId === context!.task.id)).toBe(true);
    await waitForJobEnd(transfer, job!.id);
    const description = await readFile(path.join(dir, 'compers/scd/0010/0010/cleanup/outsource/scd_0010_0010_cleanup_description.html'), 'utf8');
    expect(description).toContain('993–1108 (handles 8 + 8, 116 frames)');
    expect(description).toContain('Remove the boom mic');

    const [again] = await ui.launch(item!, selection, cora, undefined, { expected: 1 });
    expect(again).toMatchObject({ success: true, message: `Queued 1 task (11 files, 274 B) again to Compers Inc in '${JOB}'` });
    await ui.waitForMessage(cora.id, (m) => m.type === 'message' && m.message.includes('0 files hashed'), 15_000);
    expect((await transfer.listTasks(job!.id)).map((t) => t.id).sort()).toEqual(tasks.map((t) => t.id).sort());
    const after = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    expect(after?.task.status.name).toBe('Outsourced');
    const notes = await tracker.listNotes({ kind: 'task', id: context!.task.id });
    expect(notes.filter((n) => n.content.startsWith(`Outsourced to Compers Inc in '${JOB}'`))).toHaveLength(1);
  });

  it('asks ftrack for the vendor of an unassigned task with a form, and queues on submit', async () => {
    const context = await tracker.findTask({ project: 'scd', sequence: '0020', shot: '0010', task: 'cleanup' });
    const selection = [{ entityType: 'task', entityId: context!.task.id }];
    const [item] = await ui.discover(selection, cora, { expected: 1 });
    const [asked] = await ui.launch(item!, selection, cora, undefined, { expected: 1 });
    expect(asked).toMatchObject({ type: 'form', title: 'Outsource', submitButtonLabel: 'Outsource' });
    const [queued] = await ui.launch(item!, selection, cora, { vendor: 'CompersInc', note: 'Rush', priority: '900' }, { expected: 1 });
    expect(queued).toMatchObject({ type: 'message', success: true, message: `Queued 1 task (11 files, 274 B) to Compers Inc in '${JOB}'` });
    await ui.waitForMessage(cora.id, (m) => m.type === 'message' && m.message.startsWith('Manifests ready'), 15_000);
    const tasks = await transfer.listTasks((await transfer.findJob(JOB))!.id);
    expect(tasks.every((t) => t.priority === 900)).toBe(true);
  });
});
