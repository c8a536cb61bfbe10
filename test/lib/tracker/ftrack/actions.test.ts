/** Actions served by the ftrack tracker on the emulator's event hub, clicked through the web-UI harness. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActionRuntime, loadActions, type ActionRuntime } from '../../../../lib/actions/index.ts';
import { startFtrackEmulator, type FtrackEmulator } from '../../../../lib/emulators/ftrack/index.ts';
import { createWebUiHarness, type UiUser, type WebUiHarness } from '../../../../lib/emulators/ftrack/harness.ts';
import { createFtrackTracker } from '../../../../lib/tracker/ftrack/index.ts';
import type { Tracker } from '../../../../lib/tracker/types.ts';

const CORA = 'cora@acmevfx.example';

describe('ftrack tracker actions through the web UI', () => {
  let emulator: FtrackEmulator;
  let tracker: Tracker;
  let runtime: ActionRuntime;
  let served: { close(): Promise<void> };
  let ui: WebUiHarness;
  let cora: UiUser;

  beforeEach(async () => {
    emulator = await startFtrackEmulator({ seed: 'demo' });
    tracker = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey });
    runtime = createActionRuntime({ tracker, actions: await loadActions(), services: {} });
    served = await tracker.actions!.serve(runtime);
    ui = await createWebUiHarness({ serverUrl: emulator.url, apiUser: emulator.user, apiKey: emulator.apiKey, replyWindowMs: 1500 });
    const user = await tracker.getUser({ username: CORA });
    cora = { id: user!.id, username: CORA };
    await ui.watch(cora);
  });
  afterEach(async () => {
    await ui.close();
    await served.close();
    await runtime.close();
    await tracker.close();
    await emulator.close();
  });

  const idOf = async (project: string, sequence: string, shot: string, task: string) => {
    const context = await tracker.findTask({ project, sequence, shot, task });
    return context!;
  };

  it('offers task-info for tasks, not for shots, as the web UI names both "task"', async () => {
    const context = await idOf('scd', '0010', '0010', 'cleanup');
    const forTask = await ui.discover([{ entityType: 'task', entityId: context.task.id }], cora, { expected: 1 });
    expect(forTask.map((a) => a.actionIdentifier)).toContain('task-info');
    const forShot = await ui.discover([{ entityType: 'task', entityId: context.shot!.id }], cora);
    expect(forShot).toEqual([]);
  });

  it('round-trips the task-info form with ftrack widgets and answers with the context', async () => {
    const context = await idOf('scd', '0010', '0010', 'cleanup');
    const selection = [{ entityType: 'task', entityId: context.task.id }];
    const [item] = await ui.discover(selection, cora, { expected: 1 });
    const [asked] = await ui.launch(item!, selection, cora);
    expect(asked).toMatchObject({ type: 'form', title: 'Task info', submitButtonLabel: 'Show' });
    const include = asked?.type === 'form' ? asked.items.find((i) => i['name'] === 'include') : undefined;
    expect(include).toMatchObject({ type: 'enumerator', multi_select: true });

    const [shown] = await ui.launch(item!, selection, cora, { include: ['frames', 'fps', 'colour', 'assignees'] });
    expect(shown).toMatchObject({
      type: 'message',
      success: true,
      message: 'scd/0010/0010/cleanup: frames 1001-1100 (993-1108 with handles 8+8), 24 fps, ACEScg, assigned to Emma Compers',
    });
  });

  it('shows a later message to the user who clicked, and to nobody else', async () => {
    const finn = await tracker.getUser({ username: 'finn@acmevfx.example' });
    await ui.watch({ id: finn!.id, username: finn!.username });
    await tracker.actions!.notify!({ userId: cora.id, title: 'Outsource', message: 'Delivery queued', success: true });
    const got = await ui.waitForMessage(cora.id, (m) => m.type === 'message' && m.message === 'Delivery queued');
    expect(got).toMatchObject({ success: true, title: 'Outsource' });
    await ui.sync();
    expect(ui.messages(finn!.id)).toEqual([]);
  });

  it('keeps serving when a handler throws, and tells the user a launch failed', async () => {
    const broken = await tracker.actions!.serve({
      discover: async () => {
        throw new Error('discover broke');
      },
      launch: async () => {
        throw new Error('launch broke');
      },
    });
    try {
      const context = await idOf('scd', '0010', '0010', 'cleanup');
      const selection = [{ entityType: 'task', entityId: context.task.id }];
      expect((await ui.discover(selection, cora, { expected: 1 })).map((a) => a.actionIdentifier)).toEqual(['task-info']);
      const [reply] = await ui.launch({ actionIdentifier: 'nobody-owns-this' }, selection, cora);
      expect(reply).toMatchObject({ type: 'message', success: false, message: 'The action failed: launch broke' });
    } finally {
      await broken.close();
    }
  });

  it('stops answering once the served handler is closed', async () => {
    const context = await idOf('scd', '0010', '0010', 'cleanup');
    await served.close();
    expect(await ui.discover([{ entityType: 'task', entityId: context.task.id }], cora, { windowMs: 300 })).toEqual([]);
  });
});
