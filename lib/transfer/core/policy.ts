/** Scheduling policy: limits, retry backoff, which agent a job uses, and how tasks rank. */
import type { Party } from '../types.ts';

export interface Limits {
  /** Tasks running at once in total. Default 4. */
  concurrency?: number | undefined;
  /** Tasks running at once per agent (vendor, or HQ for HQ-only copies). Default 2. */
  perAgent?: number | undefined;
  /** Bytes per second across all transfers; 0 or absent = unlimited. */
  bandwidth?: number | undefined;
  /** Bytes per second per agent; 0 or absent = unlimited. */
  perAgentBandwidth?: number | undefined;
}

export interface RetryPolicy {
  /** Attempts before a task stays failed; default Infinity ("never give up"). */
  maxAttempts?: number | undefined;
  /** First backoff delay; doubles per attempt. Default 1 s. */
  baseDelayMs?: number | undefined;
  /** Ceiling of the backoff delay. Default 5 min. */
  maxDelayMs?: number | undefined;
}

export function agentOf(source: Party, destination: Party): string {
  if (destination.kind === 'vendor') return destination.vendor;
  if (source.kind === 'vendor') return source.vendor;
  return 'hq';
}

export function backoffMs(attempts: number, retry: RetryPolicy = {}): number {
  const base = retry.baseDelayMs ?? 1000;
  return Math.min(retry.maxDelayMs ?? 300_000, base * 2 ** Math.max(0, attempts - 1));
}

/** Whether rank `a` (queue, job, task priority) is strictly above rank `b`. */
export function outranks(a: number[], b: number[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return false;
}
