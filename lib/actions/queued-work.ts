/**
 * Long work an action queued: it runs after the launch reply, shows progress on a
 * tracker job when the tracker offers jobs, and tells the user how it ended.
 */
import { toHandoffError, type HandoffError } from '../core/errors.ts';
import type { JobHandle, Tracker, User } from '../tracker/types.ts';
import type { ReportProgress } from './define-action.ts';

/** The text a coordinator sees for a failure: the message and what to do, never a stack. */
export function failureText(label: string, err: HandoffError): string {
  return `${label} failed: ${err.message}${err.hint ? `\n${err.hint}` : ''}`;
}

export interface QueuedWork {
  tracker: Tracker;
  user: User;
  label: string;
  work: (report: ReportProgress, signal: AbortSignal) => Promise<string | void>;
  signal: AbortSignal;
}

/** Runs the work to its end; rethrows its failure after the user was told. */
export async function runQueuedWork({ tracker, user, label, work, signal }: QueuedWork): Promise<void> {
  const job: JobHandle | undefined = tracker.features.jobs && tracker.createJob ? await tracker.createJob(user.id, label) : undefined;
  const notify = async (success: boolean, message: string) => {
    await tracker.actions?.notify?.({ userId: user.id, title: label, message, success });
  };
  const report: ReportProgress = async ({ fraction, description }) => {
    await job?.update({ status: 'running', fraction, description: description === undefined ? undefined : `${label}: ${description}` });
  };
  try {
    const text = await work(report, signal);
    await job?.update({ status: 'done', fraction: 1 });
    await notify(true, text || `${label} finished.`);
  } catch (err) {
    const error = toHandoffError(err, 'ACTION_FAILED', { hint: 'Try again; if it keeps failing, tell the pipeline team.' });
    await job?.update({ status: 'failed', description: `${label} failed: ${error.message}` });
    await notify(false, failureText(label, error));
    throw error;
  }
}
