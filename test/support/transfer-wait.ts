/** Waiting on a transfer job's end through the adapter's events (no polling). */
import type { Job, TransferAdapter } from '../../lib/transfer/index.ts';

const ENDED = new Set(['done', 'failed', 'aborted']);

export async function waitForJobEnd(transfer: TransferAdapter, jobId: string, timeoutMs = 20_000): Promise<Job> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const events = transfer.watch({ jobId, signal: controller.signal })[Symbol.asyncIterator]();
    const pending = events.next();
    const now = await transfer.getJob(jobId);
    if (now && ENDED.has(now.status)) return now;
    for (let next = await pending; !next.done; next = await events.next()) {
      const event = next.value;
      if ((event.type === 'job.post-done' || event.type === 'job.post-failed') && event.job.id === jobId) return event.job;
      if (event.type === 'job.status' && event.job.id === jobId && ENDED.has(event.job.status)) return event.job;
    }
    throw new Error(`job ${jobId} did not end within ${timeoutMs} ms`);
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
}
