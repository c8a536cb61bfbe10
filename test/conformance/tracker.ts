/**
 * The Tracker conformance suite. Every implementation runs it against a fresh
 * tracker seeded with the demo studio:
 *
 *   testTracker('memory', async () => { const t = createMemoryTracker({ seed }); return { tracker: t, ui: t.ui }; });
 *
 * Capability tests follow `tracker.features`; `skip` names deviations in plain sight.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Tracker } from '../../lib/tracker/types.ts';
import { actionTests } from './tracker-actions.ts';
import { publishTests } from './tracker-publish.ts';
import {
  CORA,
  EMMA,
  expectCode,
  FINN,
  taskIdOf,
  userIdOf,
  type TrackerConformanceOptions,
  type TrackerFactory,
  type TrackerUnderTest,
} from './tracker-support.ts';

export type { TrackerConformanceOptions, TrackerDeviation, TrackerFactory, TrackerUnderTest } from './tracker-support.ts';

const SCD_CLEANUP = 'scd/0010/0010/cleanup';

export function testTracker(name: string, factory: TrackerFactory, options: TrackerConformanceOptions = {}): void {
  describe(`Tracker conformance: ${name}`, () => {
    let env: TrackerUnderTest | undefined;
    const get = (): TrackerUnderTest => env ?? expect.unreachable('the factory did not run');
    const t = (): Tracker => get().tracker;

    beforeEach(async () => {
      env = await factory();
    });
    afterEach(async () => {
      await env?.tracker.close();
      await env?.cleanup?.();
      env = undefined;
    });

    it('declares its capabilities and offers exactly the declared optional members', () => {
      const { features } = t();
      expect(typeof t().name).toBe('string');
      expect(Boolean(t().actions)).toBe(features.actions);
      expect(typeof t().createJob === 'function').toBe(features.jobs);
      expect(typeof features.uploads).toBe('boolean');
    });

    describe('resolveTasks', () => {
      it('resolves several tasks across projects in input order; a bad id yields ok:false', async () => {
        const ids = [await taskIdOf(t(), 'mtn/0100/0010/cleanup'), 'no-such-task', await taskIdOf(t(), SCD_CLEANUP)];
        const results = await t().resolveTasks(ids);
        expect(results.map((r) => r.id)).toEqual(ids);
        expect(results.map((r) => r.ok)).toEqual([true, false, true]);
        expect(results[1]).toMatchObject({ ok: false, code: 'TRACKER_TASK_NOT_FOUND' });
        expect(results[0]?.ok && results[0].context.path).toEqual(['mtn', '0100', '0010', 'cleanup']);
        expect(results[2]?.ok && results[2].context.path).toEqual(['scd', '0010', '0010', 'cleanup']);
      });

      it('refuses the id of a shot as a task', async () => {
        const context = await t().findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
        const [result] = await t().resolveTasks([context!.shot!.id]);
        expect(result).toMatchObject({ ok: false, code: 'TRACKER_TASK_NOT_FOUND' });
      });

      it('answers an empty selection with an empty list', async () => {
        expect(await t().resolveTasks([])).toEqual([]);
      });

      it('fills the context from the studio seed', async () => {
        const [result] = await t().resolveTasks([await taskIdOf(t(), SCD_CLEANUP)]);
        if (!result?.ok) return expect.unreachable('scd cleanup did not resolve');
        const c = result.context;
        expect(c.project).toMatchObject({ name: 'scd', fullName: 'Something Completely Different', fps: 24, colourSpace: 'ACEScg', root: 'scd' });
        expect(c.project.resolution).toEqual({ width: 1920, height: 1080 });
        expect(c.sequence?.name).toBe('0010');
        expect(c.shot?.name).toBe('0010');
        expect(c.shot?.frameRange).toEqual({ start: 1001, end: 1100, handles: { head: 8, tail: 8 } });
        expect(c.fps).toBe(24);
        expect(c.task).toMatchObject({ name: 'cleanup', type: 'cleanup', status: { name: 'Ready to start', state: 'not_started' } });
        expect(c.task.assignees.map((u) => u.username)).toEqual([EMMA]);
        expect(c.notes).toHaveLength(1);
        expect(c.notes[0]?.content).toContain('boom mic');
        expect(c.notes[0]?.author?.username).toBe(CORA);
        expect(c.notes[0]?.createdAt).toBeInstanceOf(Date);
        expect(c.path).toEqual(['scd', '0010', '0010', 'cleanup']);
      });

      it('takes fps, resolution and handles from each project and shot', async () => {
        const [result] = await t().resolveTasks([await taskIdOf(t(), 'mtn/0100/0010/cleanup')]);
        if (!result?.ok) return expect.unreachable('mtn cleanup did not resolve');
        expect(result.context.fps).toBe(25);
        expect(result.context.project.resolution).toEqual({ width: 2048, height: 858 });
        expect(result.context.shot?.frameRange).toEqual({ start: 1001, end: 1060, handles: { head: 10, tail: 10 } });
      });
    });

    describe('findTask', () => {
      it('finds a task by names and matches resolveTasks', async () => {
        const found = await t().findTask({ project: 'scd', sequence: '0020', shot: '0010', task: 'cleanup' });
        expect(found?.path).toEqual(['scd', '0020', '0010', 'cleanup']);
        expect(found?.shot?.frameRange?.handles).toEqual({ head: 4, tail: 4 });
        expect(found?.task.assignees).toEqual([]);
        const [again] = await t().resolveTasks([found!.task.id]);
        expect(again?.ok && again.context.task).toEqual(found?.task);
      });

      it('is case-sensitive and answers undefined for missing names', async () => {
        expect(await t().findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'Cleanup' })).toBeUndefined();
        expect(await t().findTask({ project: 'SCD', sequence: '0010', shot: '0010', task: 'cleanup' })).toBeUndefined();
        expect(await t().findTask({ project: 'scd', sequence: '0010', shot: '9999', task: 'cleanup' })).toBeUndefined();
        expect(await t().findTask({ project: 'nope', shot: '0010', task: 'cleanup' })).toBeUndefined();
      });

      it('finds a task without its sequence when the shot name is unique', async () => {
        const found = await t().findTask({ project: 'scd', shot: '0020', task: 'roto' });
        expect(found?.path).toEqual(['scd', '0010', '0020', 'roto']);
      });

      it('refuses a shot name that several sequences share, naming the candidates', async () => {
        const err = await expectCode(t().findTask({ project: 'scd', shot: '0010', task: 'cleanup' }), 'TRACKER_TASK_AMBIGUOUS');
        expect(err.message).toContain('scd/0010/0010/cleanup');
        expect(err.message).toContain('scd/0020/0010/cleanup');
      });
    });

    describe('users and statuses', () => {
      it('finds users by username, id and email (case-insensitive), with their groups', async () => {
        const emma = await t().getUser({ username: EMMA });
        expect(emma).toMatchObject({ username: EMMA, name: 'Emma Compers', email: EMMA });
        expect(emma?.groups).toContain('Compers Inc');
        expect(await t().getUser({ id: emma!.id })).toEqual(emma);
        expect(await t().getUser({ email: 'Emma@CompersInc.example' })).toEqual(emma);
        expect((await t().getUser({ username: FINN }))?.groups).not.toContain('Compers Inc');
      });

      it('answers undefined for unknown users and does not match usernames loosely', async () => {
        expect(await t().getUser({ username: 'nobody@example.com' })).toBeUndefined();
        expect(await t().getUser({ username: EMMA.toUpperCase() })).toBeUndefined();
        expect(await t().getUser({ email: 'nobody@example.com' })).toBeUndefined();
        expect(await t().getUser({ id: 'no-such-user' })).toBeUndefined();
      });

      it('lists the statuses in workflow order with their states', async () => {
        const statuses = await t().listStatuses();
        expect(statuses.map((s) => s.name)).toEqual([
          'Not started', 'Ready to start', 'In progress', 'Outsourced', 'Pending review', 'Retake', 'Approved', 'On hold',
        ]);
        expect(statuses.find((s) => s.name === 'Approved')?.state).toBe('done');
        expect(statuses.find((s) => s.name === 'On hold')?.state).toBe('blocked');
        expect(new Set(statuses.map((s) => s.id)).size).toBe(statuses.length);
      });
    });

    describe('status changes', () => {
      it('sets a task status by name and shows it in the context', async () => {
        const id = await taskIdOf(t(), SCD_CLEANUP);
        const status = await t().setTaskStatus(id, 'Outsourced');
        expect(status).toMatchObject({ name: 'Outsourced', state: 'in_progress' });
        const [result] = await t().resolveTasks([id]);
        expect(result?.ok && result.context.task.status.name).toBe('Outsourced');
      });

      it('refuses an unknown status, listing the valid ones, and changes nothing', async () => {
        const id = await taskIdOf(t(), SCD_CLEANUP);
        const err = await expectCode(t().setTaskStatus(id, 'outsourced'), 'TRACKER_STATUS_UNKNOWN');
        const names = (await t().listStatuses()).map((s) => s.name);
        expect(err.details['valid']).toEqual(names);
        for (const n of names) expect(err.message).toContain(n);
        expect(err.hint).toBeTruthy();
        const [result] = await t().resolveTasks([id]);
        expect(result?.ok && result.context.task.status.name).toBe('Ready to start');
      });

      it('refuses an unknown task', async () => {
        await expectCode(t().setTaskStatus('no-such-task', 'Outsourced'), 'TRACKER_TASK_NOT_FOUND');
      });
    });

    describe('notes and time logs', () => {
      it('adds notes to a task after the existing ones, with their author', async () => {
        const id = await taskIdOf(t(), SCD_CLEANUP);
        const note = await t().addNote({ kind: 'task', id }, 'Sent to Compers Inc.', await userIdOf(t(), CORA));
        expect(note).toMatchObject({ content: 'Sent to Compers Inc.', author: { username: CORA } });
        const notes = await t().listNotes({ kind: 'task', id });
        expect(notes.map((n) => n.content)).toEqual([expect.stringContaining('boom mic'), 'Sent to Compers Inc.']);
        const [result] = await t().resolveTasks([id]);
        expect(result?.ok && result.context.notes.map((n) => n.id)).toContain(note.id);
      });

      it('refuses notes on unknown tasks', async () => {
        await expectCode(t().addNote({ kind: 'task', id: 'no-such-task' }, 'hello'), 'TRACKER_TASK_NOT_FOUND');
      });

      it('logs time on a task per user', async () => {
        const id = await taskIdOf(t(), SCD_CLEANUP);
        const emma = await userIdOf(t(), EMMA);
        const start = new Date('2026-03-02T09:00:00Z');
        const entry = await t().logTime({ taskId: id, userId: emma, seconds: 5400, comment: 'paint-out', start });
        expect(entry).toMatchObject({ taskId: id, userId: emma, seconds: 5400, comment: 'paint-out' });
        expect(entry.start.getTime()).toBe(start.getTime());
        const logs = await t().listTimeLogs(id);
        expect(logs.map((l) => [l.id, l.seconds, l.userId])).toEqual([[entry.id, 5400, emma]]);
        expect(await t().listTimeLogs(await taskIdOf(t(), 'scd/0010/0020/roto'))).toEqual([]);
      });

      it('refuses time for an unknown task or user', async () => {
        const id = await taskIdOf(t(), SCD_CLEANUP);
        await expectCode(t().logTime({ taskId: 'no-such-task', userId: await userIdOf(t(), EMMA), seconds: 60 }), 'TRACKER_TASK_NOT_FOUND');
        await expectCode(t().logTime({ taskId: id, userId: 'no-such-user', seconds: 60 }), 'TRACKER_USER_NOT_FOUND');
        expect(await t().listTimeLogs(id)).toEqual([]);
      });
    });

    publishTests(t, options);
    actionTests(get, options);
  });
}
