/** JSON shapes of the transfer types over HTTP: dates travel as ISO strings and are revived here. */
import { HandoffError } from '../core/errors.ts';
import type { Job, JobEvent, Task } from './types.ts';

type Wire<T> = Omit<T, 'createdAt' | 'finishedAt'> & { createdAt: string; finishedAt?: string | undefined };

const date = (value: string | undefined): Date | undefined => (value === undefined ? undefined : new Date(value));

export function reviveJob(raw: Wire<Job>): Job {
  return { ...raw, createdAt: new Date(raw.createdAt), finishedAt: date(raw.finishedAt) };
}

export function reviveTask(raw: Wire<Task>): Task {
  return { ...raw, createdAt: new Date(raw.createdAt), finishedAt: date(raw.finishedAt) };
}

export function reviveEvent(raw: Record<string, unknown>): JobEvent {
  const event = { ...raw, job: reviveJob(raw.job as Wire<Job>) } as Record<string, unknown>;
  if (raw.task) event.task = reviveTask(raw.task as Wire<Task>);
  if (Array.isArray(raw.tasks)) event.tasks = (raw.tasks as Wire<Task>[]).map(reviveTask);
  return event as unknown as JobEvent;
}

/** Rebuilds a HandoffError from its JSON form (`{ code, message, retryable, hint, details }`). */
export function reviveError(raw: unknown, fallback: string): HandoffError {
  const body = (raw ?? {}) as { code?: string; message?: string; retryable?: boolean; hint?: string; details?: Record<string, unknown> };
  return new HandoffError(body.code ?? 'TRANSFER_REMOTE_FAILED', body.message ?? fallback, {
    retryable: body.retryable ?? false,
    hint: body.hint,
    details: body.details,
  });
}

/** HTTP status for an error code. */
export function statusFor(code: string): number {
  if (code.endsWith('_NOT_FOUND')) return 404;
  if (code === 'TRANSFER_ACCESS_DENIED') return 403;
  if (code === 'TRANSFER_UNAUTHORIZED') return 401;
  if (code === 'TRANSFER_JOB_NAME_TAKEN') return 409;
  if (code.endsWith('_INVALID') || code.endsWith('_UNKNOWN') || code.startsWith('PATH_')) return 400;
  return 500;
}
