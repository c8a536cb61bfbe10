import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActionRuntime, loadActions, type ActionRuntime } from '../../../lib/actions/index.ts';
import { createMemoryTracker, loadStudioSeed, type MemoryTracker, type SelectionItem } from '../../../lib/tracker/index.ts';

const CORA = 'cora@acmevfx.example';

describe('task-info action, end to end on the memory tracker', () => {
  let tracker: MemoryTracker;
  let runtime: ActionRuntime;
  let served: { close(): Promise<void> };

  beforeEach(async () => {
    tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
    runtime = createActionRuntime({ tracker, actions: await loadActions(), services: {} });
    served = await tracker.actions!.serve(runtime);
  });
  afterEach(async () => {
    await served.close();
    await runtime.close();
    await tracker.close();
  });

  const task = async (project: string, sequence: string, shot: string, name: string): Promise<SelectionItem> => {
    const context = await tracker.findTask({ project, sequence, shot, task: name });
    return { entityType: 'task', entityId: context!.task.id };
  };

  it('is offered for tasks only', async () => {
    const cleanup = await task('scd', '0010', '0010', 'cleanup');
    expect((await tracker.ui.discover([cleanup], CORA)).map((i) => i.label)).toContain('Task info');
    expect(await tracker.ui.discover([{ entityType: 'shot', entityId: 'x' }], CORA)).toEqual([]);
    expect(await tracker.ui.discover([], CORA)).toEqual([]);
  });

  it('asks which details to show, then shows them for each selected task', async () => {
    const selection = [await task('scd', '0010', '0010', 'cleanup'), await task('mtn', '0100', '0010', 'cleanup')];
    const [item] = await tracker.ui.discover(selection, CORA);
    const asked = await tracker.ui.launch(item!, selection, CORA);
    expect(asked).toMatchObject({ type: 'form', title: 'Task info', submitButtonLabel: 'Show' });
    const choices = asked?.type === 'form' ? asked.items.find((i) => i.name === 'include') : undefined;
    expect(choices).toMatchObject({ type: 'enumerator', multiSelect: true, value: ['frames', 'fps', 'resolution', 'assignees'] });

    const shown = await tracker.ui.launch(item!, selection, CORA, { include: choices!.value });
    expect(shown).toEqual({
      type: 'message',
      success: true,
      message: [
        'scd/0010/0010/cleanup: frames 1001-1100 (993-1108 with handles 8+8), 24 fps, 1920x1080, assigned to Emma Compers',
        'mtn/0100/0010/cleanup: frames 1001-1060 (991-1070 with handles 10+10), 25 fps, 2048x858, assigned to Emma Compers',
      ].join('\n'),
    });
  });

  it('shows colour space and notes when chosen, and unassigned tasks as such', async () => {
    const selection = [await task('scd', '0020', '0010', 'cleanup')];
    const shown = await tracker.ui.launch({ actionIdentifier: 'task-info', label: 'Task info' }, selection, CORA, { include: ['colour', 'assignees', 'notes'] });
    expect(shown).toMatchObject({ success: true, message: 'scd/0020/0010/cleanup: ACEScg, unassigned, no notes' });
  });

  it('reports a task that no longer exists without hiding the others', async () => {
    const selection = [await task('scd', '0010', '0020', 'roto'), { entityType: 'task', entityId: 'gone' }];
    const shown = await tracker.ui.launch({ actionIdentifier: 'task-info', label: 'Task info' }, selection, CORA, { include: 'fps' });
    expect(shown).toMatchObject({ type: 'message', success: false });
    expect(shown?.type === 'message' && shown.message.split('\n')).toEqual(['scd/0010/0020/roto: 24 fps', expect.stringMatching(/^gone: No task with id "gone"/)]);
  });

  it('asks for at least one detail', async () => {
    const selection = [await task('scd', '0010', '0010', 'cleanup')];
    const shown = await tracker.ui.launch({ actionIdentifier: 'task-info', label: 'Task info' }, selection, CORA, { include: [] });
    expect(shown).toEqual({ type: 'message', success: false, message: 'Choose at least one detail to show.' });
  });
});
