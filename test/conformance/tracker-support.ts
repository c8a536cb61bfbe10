/** Shared pieces of the Tracker conformance suite. */
import { expect } from 'vitest';
import type { Tracker, TrackerUi } from '../../lib/tracker/types.ts';

export interface TrackerUnderTest {
  tracker: Tracker;
  /** Plays the tracker's UI; required when `features.actions` (unless `skip` names `actions`). */
  ui?: TrackerUi | undefined;
  cleanup?: (() => Promise<void>) | undefined;
}

/** Builds a fresh tracker seeded with the demo studio (lib/tracker/seeds/demo.yaml). */
export type TrackerFactory = () => Promise<TrackerUnderTest>;

/** Deviations a reviewer can see in the implementation's test file. */
export type TrackerDeviation = 'actions' | 'uploads' | 'jobs' | 'concurrent-publish';

export interface TrackerConformanceOptions {
  skip?: TrackerDeviation[] | undefined;
}

export const EMMA = 'emma@compersinc.example';
export const CORA = 'cora@acmevfx.example';
export const FINN = 'finn@acmevfx.example';

/** The id of a demo task named `project/sequence/shot/task`. */
export async function taskIdOf(tracker: Tracker, path: string): Promise<string> {
  const [project, sequence, shot, task] = path.split('/') as [string, string, string, string];
  const context = await tracker.findTask({ project, sequence, shot, task });
  if (!context) throw new Error(`demo seed has no task ${path}`);
  return context.task.id;
}

export async function userIdOf(tracker: Tracker, username: string): Promise<string> {
  const user = await tracker.getUser({ username });
  if (!user) throw new Error(`demo seed has no user ${username}`);
  return user.id;
}

/** Awaits a call that must fail with a HandoffError of `code`; returns it for further checks. */
export async function expectCode(call: Promise<unknown>, code: string): Promise<{ message: string; details: Record<string, unknown>; hint?: string }> {
  const err: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `expected a failure with ${code}`).toBeDefined();
  expect(err).toMatchObject({ name: 'HandoffError', code });
  return err as { message: string; details: Record<string, unknown>; hint?: string };
}
