/**
 * Tasks: append (a duplicate source+destination is retried, never added
 * twice), reads, retry/exclude/priority, and the scheduler's transitions
 * (claim, progress, finish, crash recovery). Every change is one transaction.
 */
import { randomUUID } from 'node:crypto';
import { HandoffError } from '../../core/errors.ts';
import { toSafeRelative } from '../../core/paths/index.ts';
import type { AppendResult, JobEvent, Task, TaskSpec, TaskStatus, VendorChangedFile } from '../types.ts';
import { requireJobRow, settleJob, snapshot, type StoreContext } from './jobs.ts';
import { toTask, type TaskRow } from './rows.ts';

type Record = (event: JobEvent) => void;

export interface TaskIssue {
  index: number;
  field: string;
  code: string;
  message: string;
}

/** Normalises task specs against a job; reports every issue at once. */
export function normaliseTasks(specs: TaskSpec[], mirrorPaths: boolean): { source: string; destination: string; spec: TaskSpec }[] {
  if (!Array.isArray(specs) || specs.some((spec) => typeof spec !== 'object' || spec === null)) {
    throw new HandoffError('TRANSFER_TASK_INVALID', 'Tasks must be a list of objects like { source, destination?, priority? }', {
      details: { issues: [{ index: -1, field: 'tasks', code: 'TRANSFER_TASK_INVALID', message: 'not a list of task objects' }] },
      hint: 'Send tasks as an array, e.g. [{ "source": "scd/0010/plates" }].',
    });
  }
  const issues: TaskIssue[] = [];
  const safe = (index: number, field: string, value: unknown): string | undefined => {
    try {
      return toSafeRelative(value as string);
    } catch (err) {
      const e = err as HandoffError;
      issues.push({ index, field, code: e.code ?? 'PATH_UNSAFE', message: e.message });
      return undefined;
    }
  };
  const out = specs.map((spec, index) => {
    const source = safe(index, 'source', spec.source);
    let destination: string | undefined;
    if (spec.destination === undefined || spec.destination === '') {
      if (mirrorPaths) destination = source;
      else issues.push({ index, field: 'destination', code: 'TRANSFER_TASK_INVALID', message: 'destination is required when the job does not mirror paths' });
    } else destination = safe(index, 'destination', spec.destination);
    const priority = spec.priority ?? 500;
    if (!Number.isInteger(priority) || priority < 1 || priority > 1000) {
      issues.push({ index, field: 'priority', code: 'TRANSFER_PRIORITY_INVALID', message: `priority must be a whole number 1..1000, got ${priority}` });
    }
    if (spec.status !== undefined && spec.status !== 'queued' && spec.status !== 'onhold') {
      issues.push({ index, field: 'status', code: 'TRANSFER_TASK_INVALID', message: `status must be queued or onhold, got ${String(spec.status)}` });
    }
    return { source: source ?? '', destination: destination ?? '', spec };
  });
  if (issues.length) {
    throw new HandoffError('TRANSFER_TASK_INVALID', `${issues.length} task issue(s): ${issues.map((i) => `#${i.index} ${i.field}: ${i.message}`).join('; ')}`, {
      details: { issues },
      hint: 'Fix the listed tasks; paths are relative to the party root, priorities 1..1000.',
    });
  }
  return out;
}

function taskRow(ctx: StoreContext, id: string): TaskRow | undefined {
  return ctx.db.prepare('SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
}

/** Moves a task to `status` and records the event (caller holds the transaction). */
function transition(ctx: StoreContext, row: TaskRow, status: TaskStatus, record: Record, extra: Partial<TaskRow> = {}): Task {
  const next: TaskRow = { ...row, ...extra, status };
  ctx.db
    .prepare(
      `UPDATE tasks SET status = @status, priority = @priority, bytes_done = @bytes_done, files_done = @files_done,
         attempts = @attempts, next_attempt_at = @next_attempt_at, last_error = @last_error, finished_at = @finished_at
       WHERE id = @id`,
    )
    .run(next);
  const task = toTask(next);
  if (status !== row.status) record({ type: 'task.status', job: snapshot(ctx, requireJobRow(ctx, row.job_id)), task, previous: row.status });
  return task;
}

/** A failed task retried keeps its progress; one appended again starts over (it is a new delivery). */
const requeue = { next_attempt_at: null, last_error: null, finished_at: null, attempts: 0 };
const restart = { ...requeue, bytes_done: 0, files_done: 0 };

export function appendTasks(ctx: StoreContext, jobId: string, specs: TaskSpec[], record: Record): AppendResult {
  const job = requireJobRow(ctx, jobId);
  const tasks = normaliseTasks(specs, job.mirror_paths === 1);
  const result: AppendResult = { added: [], retried: [] };
  const find = ctx.db.prepare('SELECT * FROM tasks WHERE job_id = ? AND source = ? AND destination = ?');
  const insert = ctx.db.prepare(
    `INSERT INTO tasks (id, job_id, source, destination, priority, status, metadata, created_at)
     VALUES (@id, @job_id, @source, @destination, @priority, @status, @metadata, @created_at)`,
  );
  for (const { source, destination, spec } of tasks) {
    const existing = find.get(jobId, source, destination) as TaskRow | undefined;
    if (existing) {
      if (!result.retried.some((task) => task.id === existing.id)) {
        const keep = existing.status === 'executing' || existing.status === 'queued';
        result.retried.push(keep ? toTask(existing) : transition(ctx, existing, 'queued', record, restart));
      }
      continue;
    }
    const id = randomUUID();
    insert.run({
      id,
      job_id: jobId,
      source,
      destination,
      priority: spec.priority ?? 500,
      status: spec.status ?? 'queued',
      metadata: JSON.stringify(spec.metadata ?? {}),
      created_at: ctx.clock.now(),
    });
    result.added.push(toTask(taskRow(ctx, id) as TaskRow));
  }
  settleJob(ctx, jobId, record);
  return result;
}

export function listTasks(ctx: StoreContext, jobId: string): Task[] {
  requireJobRow(ctx, jobId);
  return (ctx.db.prepare('SELECT * FROM tasks WHERE job_id = ? ORDER BY created_at, rowid').all(jobId) as TaskRow[]).map(toTask);
}

function selectTasks(ctx: StoreContext, jobId: string, taskIds: string[] | undefined): TaskRow[] {
  requireJobRow(ctx, jobId);
  if (!taskIds) return ctx.db.prepare('SELECT * FROM tasks WHERE job_id = ? ORDER BY created_at, rowid').all(jobId) as TaskRow[];
  const rows = taskIds.map((id) => taskRow(ctx, id));
  const missing = taskIds.filter((_, i) => rows[i]?.job_id !== jobId);
  if (missing.length) {
    throw new HandoffError('TRANSFER_TASK_NOT_FOUND', `Job ${jobId} has no task(s) ${missing.join(', ')}`, {
      details: { jobId, missing },
      hint: 'List the job tasks with `handoff jobs show <job>` and use their ids.',
    });
  }
  return rows as TaskRow[];
}

export function retryTasks(ctx: StoreContext, jobId: string, taskIds: string[] | undefined): Task[] {
  return ctx.bus.transact((record) => {
    const again = (row: TaskRow): boolean => row.status === 'failed' || (taskIds !== undefined && (row.status === 'onhold' || row.status === 'excluded'));
    const rows = selectTasks(ctx, jobId, taskIds).filter(again);
    const tasks = rows.map((row) => transition(ctx, row, 'queued', record, requeue));
    if (tasks.length) settleJob(ctx, jobId, record);
    return tasks;
  });
}

export function excludeTasks(ctx: StoreContext, jobId: string, taskIds: string[]): Task[] {
  return ctx.bus.transact((record) => {
    const rows = selectTasks(ctx, jobId, taskIds);
    const tasks = rows.map((row) => (row.status === 'excluded' ? toTask(row) : transition(ctx, row, 'excluded', record, { next_attempt_at: null })));
    settleJob(ctx, jobId, record);
    return tasks;
  });
}

export function prioritiseTasks(ctx: StoreContext, jobId: string, priority: number, taskIds: string[]): void {
  if (!Number.isInteger(priority) || priority < 1 || priority > 1000) {
    throw new HandoffError('TRANSFER_PRIORITY_INVALID', `Task priority must be a whole number 1..1000, got ${priority}`, {
      details: { priority },
      hint: 'Use 1 (lowest) to 1000 (highest); the default is 500.',
    });
  }
  ctx.bus.transact(() => {
    for (const row of selectTasks(ctx, jobId, taskIds)) ctx.db.prepare('UPDATE tasks SET priority = ? WHERE id = ?').run(priority, row.id);
  });
}

/** A task the scheduler may start now, with what it needs to order and route it. */
export interface Runnable {
  id: string;
  jobId: string;
  priority: number;
  source: string;
  destination: string;
  jobSource: string;
  jobDestination: string;
}

/**
 * Runnable tasks, best first: queue priority, job priority, task priority, then
 * age. Jobs are taken in rank groups so each query walks the queued-order
 * index and stops at `limit`, instead of sorting every queued task.
 */
export function runnableTasks(ctx: StoreContext, now: number, limit: number): Runnable[] {
  const jobs = ctx.db
    .prepare(
      `SELECT j.id, j.source, j.destination, q.priority AS qp, j.priority AS jp FROM jobs j JOIN queues q ON q.name = j.queue
       WHERE j.status IN ('waiting', 'running') ORDER BY qp DESC, jp DESC`,
    )
    .all() as { id: string; source: string; destination: string; qp: number; jp: number }[];
  const out: Runnable[] = [];
  for (let i = 0; i < jobs.length && out.length < limit; ) {
    const group = jobs.slice(i).filter((job, k, rest) => job.qp === rest[0]?.qp && job.jp === rest[0]?.jp);
    i += group.length;
    const byId = new Map(group.map((job) => [job.id, job]));
    const marks = group.map(() => '?').join(', ');
    const columns = 'id, job_id AS jobId, priority, source, destination, created_at AS createdAt';
    const queued = ctx.db
      .prepare(`SELECT ${columns} FROM tasks WHERE status = 'queued' AND job_id IN (${marks}) ORDER BY priority DESC, created_at, rowid LIMIT ?`)
      .all(...byId.keys(), limit) as (Omit<Runnable, 'jobSource' | 'jobDestination'> & { createdAt: number })[];
    const due = ctx.db
      .prepare(`SELECT ${columns} FROM tasks WHERE status = 'failed' AND next_attempt_at <= ? AND job_id IN (${marks}) ORDER BY priority DESC, created_at, rowid LIMIT ?`)
      .all(now, ...byId.keys(), limit) as typeof queued;
    const merged = [...queued, ...due].sort((a, b) => b.priority - a.priority || a.createdAt - b.createdAt);
    for (const { createdAt: _createdAt, ...task } of merged) {
      const job = byId.get(task.jobId);
      if (job) out.push({ ...task, jobSource: job.source, jobDestination: job.destination });
    }
  }
  return out.slice(0, limit);
}

/** Priority of a task as the scheduler orders it: queue, job, task. */
export function taskRank(ctx: StoreContext, taskId: string): number[] {
  const row = ctx.db
    .prepare('SELECT q.priority AS q, j.priority AS j, t.priority AS t FROM tasks t JOIN jobs j ON j.id = t.job_id JOIN queues q ON q.name = j.queue WHERE t.id = ?')
    .get(taskId) as { q: number; j: number; t: number } | undefined;
  return row ? [row.q, row.j, row.t] : [-1, -1, -1];
}

/** When the next failed task becomes due for its retry, if any. */
export function nextRetryAt(ctx: StoreContext): number | undefined {
  const row = ctx.db
    .prepare(
      `SELECT min(t.next_attempt_at) AS at FROM tasks t JOIN jobs j ON j.id = t.job_id
       WHERE t.status = 'failed' AND t.next_attempt_at IS NOT NULL AND j.status IN ('waiting', 'running')`,
    )
    .get() as { at: number | null };
  return row.at ?? undefined;
}

/** Marks a runnable task executing (one more attempt); undefined when it is no longer runnable. */
export function claimTask(ctx: StoreContext, taskId: string): Task | undefined {
  return ctx.bus.transact((record) => {
    const row = taskRow(ctx, taskId);
    if (!row || (row.status !== 'queued' && row.status !== 'failed')) return undefined;
    // Progress stays where it was: the attempt rebuilds it from what is already in place, and never shows less meanwhile.
    const task = transition(ctx, row, 'executing', record, { attempts: row.attempts + 1, next_attempt_at: null });
    settleJob(ctx, row.job_id, record);
    return task;
  });
}

export function sizeTask(ctx: StoreContext, taskId: string, bytes: number, files: number): void {
  ctx.db.prepare('UPDATE tasks SET bytes_total = ?, files = ? WHERE id = ?').run(bytes, files, taskId);
}

/** What an attempt found at the destination: files already there, and files the vendor had changed. */
export interface Found {
  filesPresent: number;
  bytesPresent: number;
  vendorChanged: VendorChangedFile[];
  filesVendorChanged: number;
}

/**
 * Records an attempt's progress. It never goes below what an earlier attempt
 * showed (an attempt rebuilds it file by file) nor above the task's size.
 */
export function recordProgress(ctx: StoreContext, taskId: string, bytesDone: number, filesDone: number, found: Found): void {
  ctx.db
    .prepare(
      `UPDATE tasks SET bytes_done = min(bytes_total, max(bytes_done, ?)), files_done = min(files, max(files_done, ?)),
         files_present = ?, bytes_present = ?, files_vendor_changed = ?, vendor_changed = ?
       WHERE id = ? AND status = 'executing'`,
    )
    .run(bytesDone, filesDone, found.filesPresent, found.bytesPresent, found.filesVendorChanged, JSON.stringify(found.vendorChanged), taskId);
}

export type Outcome =
  | { status: 'done' }
  | { status: 'failed'; error: HandoffError; retryAt: number | undefined }
  /** Interrupted (pause, exclude, shutdown): back to the queue without blame. */
  | { status: 'released' };

/** Ends an attempt; a task excluded meanwhile stays excluded. */
export function finishTask(ctx: StoreContext, taskId: string, outcome: Outcome): void {
  ctx.bus.transact((record) => {
    const row = taskRow(ctx, taskId);
    if (!row || row.status !== 'executing') return;
    if (outcome.status === 'done') {
      transition(ctx, row, 'done', record, { bytes_done: row.bytes_total, files_done: row.files, last_error: null, finished_at: ctx.clock.now() });
    } else if (outcome.status === 'failed') {
      const lastError = JSON.stringify({ code: outcome.error.code, message: outcome.error.message });
      transition(ctx, row, 'failed', record, { last_error: lastError, next_attempt_at: outcome.retryAt ?? null });
    } else {
      transition(ctx, row, 'queued', record, { attempts: Math.max(0, row.attempts - 1) });
    }
    if (outcome.status === 'done') ctx.db.prepare('DELETE FROM chunks WHERE task_id = ?').run(taskId); // every file is in place
    settleJob(ctx, row.job_id, record);
  });
}

/** After a crash: attempts that were executing go back to the queue. */
export function recoverExecuting(ctx: StoreContext): number {
  return ctx.bus.transact((record) => {
    const rows = ctx.db.prepare("SELECT * FROM tasks WHERE status = 'executing'").all() as TaskRow[];
    for (const row of rows) transition(ctx, row, 'queued', record);
    for (const jobId of new Set(rows.map((row) => row.job_id))) settleJob(ctx, jobId, record);
    return rows.length;
  });
}
