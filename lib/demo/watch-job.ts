/**
 * Follows one transfer job on the server's live feed with a progress bar until
 * it is done (or fails, with the reason of its first failed task).
 */
import { HandoffError } from '../core/errors.ts';
import type { Job } from '../transfer/types.ts';
import type { LiveClient } from './live.ts';

export interface Bar {
  update(current: number, label?: string): void;
  done(message?: string): void;
  fail(message?: string): void;
}

export type StartBar = (label: string, total: number) => Bar;

const ENDED = new Set(['done', 'failed', 'aborted']);

export async function followJob(live: LiveClient, initial: Job, bar: { label: string; start: StartBar }, timeoutMs: number): Promise<Job> {
  let shown: Bar | undefined;
  const show = (job: Job): void => {
    if (!job.progress.bytesTotal) return;
    shown ??= bar.start(bar.label, job.progress.bytesTotal);
    shown.update(job.progress.bytesDone, `${bar.label} ${job.progress.filesDone}/${job.progress.filesTotal} files`);
  };
  show(initial);
  const stop = live.on((event) => {
    if (event.kind === 'job' && event.job.id === initial.id) show(event.job);
  });
  try {
    const ended = ENDED.has(initial.status)
      ? initial
      : await live.until((e) => (e.kind === 'job' && e.job.id === initial.id && ENDED.has(e.job.status) ? e.job : undefined), timeoutMs, `the job '${initial.name}' to finish`);
    if (ended.status !== 'done') {
      shown?.fail(ended.status);
      throw new HandoffError('DEMO_STEP_FAILED', `The job '${ended.name}' ended ${ended.status}`, { details: { jobId: ended.id }, hint: 'Its failed tasks and their errors are on the dashboard.' });
    }
    shown?.done(`${ended.progress.filesDone} files`);
    return ended;
  } catch (err) {
    shown?.fail();
    throw err;
  } finally {
    stop();
  }
}
