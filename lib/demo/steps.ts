/**
 * Named demo steps: each prints its title, and a failure says which step
 * failed and why (the cause's code, message and hint kept).
 */
import { HandoffError, isHandoffError } from '../core/errors.ts';
import type { StartBar } from './watch-job.ts';

export interface DemoReporter {
  /** A step begins. */
  step(title: string): void;
  /** What the step achieved. */
  ok(text: string): void;
  /** A detail line under the step. */
  info(text: string): void;
  bar: StartBar;
}

export const silentReporter: DemoReporter = {
  step: () => undefined,
  ok: () => undefined,
  info: () => undefined,
  bar: () => ({ update: () => undefined, done: () => undefined, fail: () => undefined }),
};

export async function step<T>(reporter: DemoReporter, title: string, work: () => Promise<T>): Promise<T> {
  reporter.step(title);
  try {
    return await work();
  } catch (err) {
    if (isHandoffError(err) && err.code.startsWith('DEMO_') && err.details.step) throw err;
    const cause = isHandoffError(err) ? err : undefined;
    const message = err instanceof Error ? err.message : String(err);
    const code = cause?.code.startsWith('DEMO_') ? cause.code : 'DEMO_STEP_FAILED';
    throw new HandoffError(code, `${title} failed: ${cause && !cause.code.startsWith('DEMO_') ? `${cause.code} ` : ''}${message}`, {
      cause: err,
      retryable: cause?.retryable ?? false,
      hint: cause?.hint ?? 'Run again with --debug for the full cause.',
      details: { step: title, ...(cause?.details ?? {}) },
    });
  }
}
