/**
 * Jobs: find-or-create by name, reads, pause/resume/priority, and `settleJob`,
 * which derives a job's status from its tasks inside the caller's transaction
 * and fires the lifecycle events when the job finishes.
 */
import { randomUUID } from 'node:crypto';
import { HandoffError } from '../../core/errors.ts';
import type { Job, JobEvent, JobFilter, JobSpec, JobStatus, Party } from '../types.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';
import type { EventBus } from './events.ts';
import { toJob, toTask, type JobRow, type JobTotals, type TaskRow } from './rows.ts';

export interface StoreContext {
  db: Db;
  bus: EventBus;
  clock: Clock;
  /** Current smoothed speed of a job in bytes/s (kept in memory by the scheduler). */
  speedOf(jobId: string): number;
}

type Record = (event: JobEvent) => void;

const OPEN = "status NOT IN ('done', 'aborted')";

export function jobRow(ctx: StoreContext, id: string): JobRow | undefined {
  return ctx.db.prepare('SELECT * FROM jobs WHERE id = ?').get(id) as JobRow | undefined;
}

export function requireJobRow(ctx: StoreContext, id: string): JobRow {
  const row = jobRow(ctx, id);
  if (!row) {
    throw new HandoffError('TRANSFER_JOB_NOT_FOUND', `No transfer job with id ${id}`, {
      details: { jobId: id },
      hint: 'List jobs with `handoff jobs list` and use one of their ids.',
    });
  }
  return row;
}

export function snapshot(ctx: StoreContext, row: JobRow): Job {
  const totals = ctx.db
    .prepare(
      `SELECT coalesce(sum(bytes_total), 0) AS bytesTotal, coalesce(sum(bytes_done), 0) AS bytesDone,
              coalesce(sum(files), 0) AS filesTotal, coalesce(sum(files_done), 0) AS filesDone,
              coalesce(sum(files_present), 0) AS filesPresent, coalesce(sum(bytes_present), 0) AS bytesPresent,
              coalesce(sum(files_vendor_changed), 0) AS filesVendorChanged
       FROM tasks WHERE job_id = ? AND status != 'excluded'`,
    )
    .get(row.id) as JobTotals;
  return toJob(row, totals, row.status === 'running' ? ctx.speedOf(row.id) : 0);
}

export function findJob(ctx: StoreContext, name: string): Job | undefined {
  const row = ctx.db.prepare(`SELECT * FROM jobs WHERE name = ? AND ${OPEN}`).get(name) as JobRow | undefined;
  return row && snapshot(ctx, row);
}

export function getJob(ctx: StoreContext, id: string): Job | undefined {
  const row = jobRow(ctx, id);
  return row && snapshot(ctx, row);
}

export function listJobs(ctx: StoreContext, filter: JobFilter = {}): Job[] {
  const rows = ctx.db.prepare('SELECT * FROM jobs ORDER BY created_at DESC, rowid DESC').all() as JobRow[];
  const hasVendor = (party: string): boolean => {
    const parsed = JSON.parse(party) as Party;
    return parsed.kind === 'vendor' && parsed.vendor === filter.vendor;
  };
  return rows
    .filter((row) => !filter.status?.length || filter.status.includes(row.status))
    .filter((row) => filter.name === undefined || row.name === filter.name)
    .filter((row) => filter.vendor === undefined || hasVendor(row.source) || hasVendor(row.destination))
    .map((row) => snapshot(ctx, row));
}

/** Inserts a job row (caller holds the transaction and has checked the name is free). */
export function insertJob(ctx: StoreContext, spec: JobSpec, record: Record): Job {
  const queue = ctx.db.prepare('SELECT priority FROM queues WHERE name = ?').get(spec.queue ?? 'default') as
    | { priority: number }
    | undefined;
  if (!queue) {
    const known = (ctx.db.prepare('SELECT name FROM queues').all() as { name: string }[]).map((q) => q.name);
    throw new HandoffError('TRANSFER_QUEUE_UNKNOWN', `No transfer queue named ${spec.queue}`, {
      details: { queue: spec.queue, known },
      hint: `Use one of: ${known.join(', ')}.`,
    });
  }
  const row: JobRow = {
    id: randomUUID(),
    name: spec.name,
    status: spec.paused ? 'paused' : 'init',
    queue: spec.queue ?? 'default',
    priority: queue.priority,
    source: JSON.stringify(spec.source),
    destination: JSON.stringify(spec.destination),
    mirror_paths: spec.mirrorPaths === false ? 0 : 1,
    metadata: JSON.stringify(spec.metadata ?? {}),
    created_at: ctx.clock.now(),
    finished_at: null,
  };
  ctx.db
    .prepare(
      `INSERT INTO jobs (id, name, status, queue, priority, source, destination, mirror_paths, metadata, created_at, finished_at)
       VALUES (@id, @name, @status, @queue, @priority, @source, @destination, @mirror_paths, @metadata, @created_at, @finished_at)`,
    )
    .run(row);
  const job = snapshot(ctx, row);
  record({ type: 'job.created', job });
  return job;
}

/** What a job's tasks say its status is (ignoring pause). */
function derivedStatus(ctx: StoreContext, jobId: string): JobStatus {
  const counts = ctx.db
    .prepare(
      `SELECT count(*) AS total,
              sum(status = 'executing') AS executing,
              sum(status IN ('queued', 'onhold') OR (status = 'failed' AND next_attempt_at IS NOT NULL)) AS pending,
              sum(status = 'failed' AND next_attempt_at IS NULL) AS failed
       FROM tasks WHERE job_id = ?`,
    )
    .get(jobId) as { total: number; executing: number | null; pending: number | null; failed: number | null };
  if (counts.total === 0) return 'init';
  if (counts.executing) return 'running';
  if (counts.pending) return 'waiting';
  return counts.failed ? 'failed' : 'done';
}

/**
 * Re-derives the job's status after its tasks changed (in the caller's
 * transaction). A paused job stays paused unless `unpause` is set. Finishing
 * fires `job.post-done` or `job.post-failed`.
 */
export function settleJob(ctx: StoreContext, jobId: string, record: Record, unpause = false): Job {
  const row = requireJobRow(ctx, jobId);
  const previous = row.status;
  const keep = previous === 'aborted' || (previous === 'paused' && !unpause);
  const status = keep ? previous : derivedStatus(ctx, jobId);
  if (status !== previous) {
    const finished = status === 'done' || status === 'failed' ? ctx.clock.now() : null;
    try {
      ctx.db.prepare('UPDATE jobs SET status = ?, finished_at = ? WHERE id = ?').run(status, finished, jobId);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw err;
      throw new HandoffError('TRANSFER_JOB_NAME_TAKEN', `Cannot reopen job ${row.name}: another unfinished job has that name`, {
        details: { jobId, name: row.name },
        hint: 'Append the tasks to the unfinished job with that name instead.',
      });
    }
  }
  const job = snapshot(ctx, requireJobRow(ctx, jobId));
  if (status === previous) return job;
  record({ type: 'job.status', job, previous });
  if (status === 'done' || status === 'failed') {
    const tasks = (ctx.db.prepare('SELECT * FROM tasks WHERE job_id = ? ORDER BY created_at, rowid').all(jobId) as TaskRow[]).map(toTask);
    record({ type: status === 'done' ? 'job.post-done' : 'job.post-failed', job, tasks });
  }
  return job;
}

export function pauseJob(ctx: StoreContext, jobId: string): Job {
  return ctx.bus.transact((record) => {
    const row = requireJobRow(ctx, jobId);
    if (row.status === 'paused' || row.status === 'done' || row.status === 'aborted') return snapshot(ctx, row);
    ctx.db.prepare("UPDATE jobs SET status = 'paused' WHERE id = ?").run(jobId);
    const job = snapshot(ctx, requireJobRow(ctx, jobId));
    record({ type: 'job.status', job, previous: row.status });
    return job;
  });
}

export function resumeJob(ctx: StoreContext, jobId: string): Job {
  return ctx.bus.transact((record) => {
    const row = requireJobRow(ctx, jobId);
    if (row.status !== 'paused') return snapshot(ctx, row);
    return settleJob(ctx, jobId, record, true);
  });
}

export function prioritiseJob(ctx: StoreContext, jobId: string, priority: number): void {
  if (!Number.isInteger(priority) || priority < 0 || priority > 1000) {
    throw new HandoffError('TRANSFER_PRIORITY_INVALID', `Job priority must be a whole number 0..1000, got ${priority}`, {
      details: { priority },
      hint: 'Use 0 (lowest) to 1000 (highest); queues start jobs at high 999, default 500, low 1.',
    });
  }
  requireJobRow(ctx, jobId);
  ctx.db.prepare('UPDATE jobs SET priority = ? WHERE id = ?').run(priority, jobId);
}
