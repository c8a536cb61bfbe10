import type { TransferAdapter } from '../transfer/types.ts';
import { jobHookPayload, type ResolveAbsolute } from './payload.ts';
import type { HookRunResult } from './run-hook.ts';
import type { HookRuntime } from './runtime.ts';

/**
 * Runs the job hooks whenever the transfer core reports a finished or failed
 * job, until the signal aborts. Hook failures are reported through
 * `onResults`; they never touch the job's files.
 */
export async function runJobHooks(options: {
  transfer: TransferAdapter;
  runtime: HookRuntime;
  resolve: ResolveAbsolute;
  signal: AbortSignal;
  onResults?: (jobId: string, results: HookRunResult[]) => void;
}): Promise<void> {
  const { transfer, runtime, resolve, signal } = options;
  for await (const event of transfer.watch({ signal })) {
    if (event.type !== 'job.post-done' && event.type !== 'job.post-failed') continue;
    const payload = jobHookPayload(event.type, event.job, event.tasks, resolve);
    const results = await runtime.run(event.type, payload, signal);
    options.onResults?.(event.job.id, results);
  }
}
