/**
 * Follows the transfer core's events until the signal aborts: progress goes
 * to the live feed only; creations, status changes and task failures are also
 * written to the event log with a sentence a person can read.
 */
import type { Job, JobEvent, TransferAdapter } from '../transfer/types.ts';
import type { LiveFeed } from './live.ts';
import type { Recorder } from './recorder.ts';

const vendorOf = (job: Job): string | undefined =>
  job.destination.kind === 'vendor' ? job.destination.vendor : job.source.kind === 'vendor' ? job.source.vendor : undefined;

export function describe(event: JobEvent): { level: 'info' | 'warn' | 'error'; message: string } | undefined {
  const name = `"${event.job.name}"`;
  switch (event.type) {
    case 'job.created':
      return { level: 'info', message: `Job ${name} created in queue ${event.job.queue}` };
    case 'job.status': {
      const level = event.job.status === 'failed' ? 'error' : event.job.status === 'aborted' ? 'warn' : 'info';
      return { level, message: `Job ${name} ${event.previous} → ${event.job.status}` };
    }
    case 'task.status':
      if (event.task.status !== 'failed') return undefined;
      return { level: 'error', message: `Task ${event.task.source} of ${name} failed: ${event.task.lastError?.message ?? 'no reason given'}` };
    case 'job.progress':
    case 'job.post-done':
    case 'job.post-failed':
      return undefined;
  }
}

export async function followTransfer(options: { transfer: TransferAdapter; live: LiveFeed; recorder: Recorder; signal: AbortSignal }): Promise<void> {
  const { transfer, live, recorder, signal } = options;
  for await (const event of transfer.watch({ signal })) {
    live.emit({ kind: 'job', job: event.job });
    if (event.type === 'task.status') live.emit({ kind: 'task', jobId: event.job.id, task: event.task });
    const line = describe(event);
    if (!line) continue;
    recorder.log({
      type: event.type,
      ...line,
      jobId: event.job.id,
      vendor: vendorOf(event.job),
      ...(event.type === 'task.status' ? { data: { taskId: event.task.id, error: event.task.lastError } } : {}),
    });
  }
}
