/** Conformance: actions served on the tracker's channel, user messages and tracker jobs. */
import { describe, expect, it } from 'vitest';
import type { ActionHandler, SelectionItem, TrackerUi } from '../../lib/tracker/types.ts';
import { CORA, taskIdOf, userIdOf, type TrackerConformanceOptions, type TrackerUnderTest } from './tracker-support.ts';

/** A handler owning one action; it records what it was asked so the test can see the round trip. */
function greeter(id: string, entityType: string): ActionHandler & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    async discover({ selection }) {
      if (!selection.length || !selection.every((s) => s.entityType === entityType)) return [];
      return [{ actionIdentifier: id, label: 'Greet', description: 'Says hello' }];
    },
    async launch({ actionIdentifier, selection, user, values }) {
      if (actionIdentifier !== id) return undefined;
      seen.push(user.username);
      if (!values) {
        return {
          type: 'form',
          title: 'Greeting',
          submitButtonLabel: 'Greet',
          items: [
            { type: 'text', name: 'greeting', label: 'Greeting', value: 'Hello' },
            { type: 'enumerator', name: 'tone', label: 'Tone', data: [{ label: 'Warm', value: 'warm' }, { label: 'Dry', value: 'dry' }] },
          ],
        };
      }
      return { type: 'message', success: true, message: `${String(values['greeting'])} (${String(values['tone'])}) on ${selection[0]?.entityId}` };
    },
  };
}

export function actionTests(get: () => TrackerUnderTest, options: TrackerConformanceOptions): void {
  const skip = new Set(options.skip ?? []);

  describe('actions', () => {
    const uiOf = (): TrackerUi => get().ui ?? expect.unreachable('a tracker with features.actions must come with its ui');

    it.runIf(!skip.has('actions'))('discovers, launches and round-trips a form through the tracker channel', async () => {
      const { tracker } = get();
      if (!tracker.features.actions) return expect(tracker.actions).toBeUndefined();
      const ui = uiOf();
      const taskId = await taskIdOf(tracker, 'scd/0010/0010/cleanup');
      const selection: SelectionItem[] = [{ entityType: 'task', entityId: taskId }];
      const mine = greeter('conformance.greet', 'task');
      const other = greeter('conformance.other', 'version');
      const served = [await tracker.actions!.serve(mine), await tracker.actions!.serve(other)];
      try {
        const items = await ui.discover(selection, CORA);
        expect(items.map((i) => i.actionIdentifier)).toEqual(['conformance.greet']);
        const item = items[0]!;
        const form = await ui.launch(item, selection, CORA);
        expect(form).toMatchObject({ type: 'form', title: 'Greeting', items: [{ name: 'greeting' }, { name: 'tone' }] });
        const done = await ui.launch(item, selection, CORA, { greeting: 'Hi', tone: 'dry' });
        expect(done).toEqual({ type: 'message', success: true, message: `Hi (dry) on ${taskId}` });
        expect(mine.seen).toEqual([CORA, CORA]);
        expect(other.seen).toEqual([]);
      } finally {
        for (const s of served) await s.close();
      }
      expect(await ui.discover(selection, CORA)).toEqual([]);
    });

    it.runIf(!skip.has('actions'))('shows a message to a user outside a launch reply', async () => {
      const { tracker } = get();
      if (!tracker.features.actions || !tracker.actions?.notify) return expect(tracker.features.actions).toBe(Boolean(tracker.actions));
      const cora = await userIdOf(tracker, CORA);
      await tracker.actions.notify({ userId: cora, title: 'Outsource', message: 'Delivery queued', success: true });
      const messages = await uiOf().messages(CORA);
      expect(messages.map((m) => [m.message, m.success])).toEqual([['Delivery queued', true]]);
    });
  });

  describe('jobs', () => {
    it.runIf(!skip.has('jobs'))('creates a tracker job for a user and reports progress on it', async () => {
      const { tracker } = get();
      if (!tracker.features.jobs) return expect(tracker.createJob).toBeUndefined();
      const job = await tracker.createJob!(await userIdOf(tracker, CORA), 'Outsourcing 3 tasks');
      expect(typeof job.id).toBe('string');
      await job.update({ status: 'running', fraction: 0.5, description: 'Outsourcing 3 tasks: 1 of 3' });
      await job.update({ status: 'done', fraction: 1 });
    });
  });
}
