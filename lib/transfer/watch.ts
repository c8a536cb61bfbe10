/** Turns a subscribe-style event source into the adapter's `watch()` async iterator. */
import type { JobEvent } from './types.ts';

export type Subscribe = (listener: (event: JobEvent) => void) => () => void;

export async function* watchEvents(subscribe: Subscribe, options: { jobId?: string | undefined; signal?: AbortSignal | undefined } = {}): AsyncGenerator<JobEvent> {
  const queue: JobEvent[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = subscribe((event) => {
    if (options.jobId !== undefined && event.job.id !== options.jobId) return;
    queue.push(event);
    wake?.();
  });
  const onAbort = (): void => wake?.();
  options.signal?.addEventListener('abort', onAbort);
  try {
    while (!options.signal?.aborted) {
      const event = queue.shift();
      if (event) {
        yield event;
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  } finally {
    unsubscribe();
    options.signal?.removeEventListener('abort', onAbort);
  }
}
