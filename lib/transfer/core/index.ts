/**
 * The embedded transfer core: durable jobs and tasks in SQLite, the scheduler,
 * shares and grants, the chunk ledger and the event log. Only lib/transfer/
 * uses it; everything else goes through a TransferAdapter.
 */
import path from 'node:path';
import { HandoffError } from '../../core/errors.ts';
import type { Transport } from '../transport.ts';
import type { AppendResult, Grant, Job, JobFilter, JobSpec, Share, Task, TaskSpec } from '../types.ts';
import { createAgentStore } from './agents.ts';
import { systemClock, type Clock } from './clock.ts';
import { openDatabase, type Db } from './db.ts';
import { createEventBus, type EventBus } from './events.ts';
import { acquireLease, type SchedulerLease } from './lease.ts';
import { findJob, getJob, insertJob, listJobs, pauseJob, prioritiseJob, requireJobRow, resumeJob, snapshot, type StoreContext } from './jobs.ts';
import type { Roots } from './roots.ts';
import { createScheduler, type Limits, type RetryPolicy } from './scheduler.ts';
import { createShares, type ShareTemplateEntry } from './shares.ts';
import { appendTasks, excludeTasks, listTasks, normaliseTasks, prioritiseTasks, recoverExecuting, retryTasks } from './tasks.ts';

export type { Clock, ManualClock } from './clock.ts';
export { createManualClock, systemClock } from './clock.ts';
export type { Roots } from './roots.ts';
export type { Limits, RetryPolicy } from './scheduler.ts';
export { createLedger } from './ledger.ts';
export type { AgentStore } from './agents.ts';
export { defaultShareTemplate } from './shares.ts';

export interface TransferCoreOptions {
  /** Folder for the database (`transfer.db`); or give `dbPath`. */
  dataDir?: string | undefined;
  dbPath?: string | undefined;
  roots?: Roots | undefined;
  transports?: Transport[] | undefined;
  limits?: Limits | undefined;
  retry?: RetryPolicy | undefined;
  clock?: Clock | undefined;
  shareTemplate?: readonly ShareTemplateEntry[] | undefined;
  /** How often the scheduler picks up changes made by other processes; default 1 s. */
  reconcileMs?: number | undefined;
  /** Run the scheduler in this process (default true). Readers such as `handoff jobs list` turn it off. */
  schedule?: boolean | undefined;
}

function validateSpec(spec: JobSpec): void {
  if (typeof spec !== 'object' || spec === null) {
    throw new HandoffError('TRANSFER_JOB_INVALID', 'A job spec must be an object', { hint: 'Give { name, source, destination }.' });
  }
  const issues: string[] = [];
  if (typeof spec.name !== 'string' || spec.name.trim() === '') issues.push('name is required');
  for (const side of ['source', 'destination'] as const) {
    const party = spec[side];
    if (!party || (party.kind !== 'hq' && party.kind !== 'vendor')) issues.push(`${side} must be {kind:'hq'} or {kind:'vendor', vendor}`);
    else if (party.kind === 'vendor' && (typeof party.vendor !== 'string' || party.vendor === '')) issues.push(`${side}.vendor is required`);
  }
  if (spec.metadata !== undefined && (typeof spec.metadata !== 'object' || spec.metadata === null || Array.isArray(spec.metadata))) issues.push('metadata must be an object');
  if (spec.tasks !== undefined && !Array.isArray(spec.tasks)) issues.push('tasks must be a list');
  if (issues.length) {
    throw new HandoffError('TRANSFER_JOB_INVALID', `Invalid job: ${issues.join('; ')}`, {
      details: { issues },
      hint: 'Give the job a name, a source and a destination party.',
    });
  }
}

export function createTransferCore(options: TransferCoreOptions) {
  const file = options.dbPath ?? (options.dataDir ? path.join(options.dataDir, 'transfer.db') : undefined);
  if (!file) {
    throw new HandoffError('TRANSFER_OPTIONS_INVALID', 'The transfer core needs `dataDir` or `dbPath`', {
      hint: 'Pass dataDir (a folder for transfer.db) or dbPath.',
    });
  }
  const clock = options.clock ?? systemClock;
  const roots = options.roots ?? {};
  const db: Db = openDatabase(file);
  const bus: EventBus = createEventBus(db, clock);
  const ctx: StoreContext = { db, bus, clock, speedOf: (jobId) => scheduler.speedOf(jobId) };
  const shares = createShares(db, bus, roots, options.shareTemplate);
  const scheduler = createScheduler({ ctx, roots, transports: options.transports ?? [], shares, limits: options.limits, retry: options.retry, reconcileMs: options.reconcileMs });
  let closed = false;
  for (const transport of options.transports ?? []) transport.onAgentReady?.((vendor) => scheduler.agentReady(vendor));

  const changed = <T>(value: T): T => {
    scheduler.kick();
    return value;
  };
  /**
   * Uploads (vendor → HQ) must land inside the vendor's write grants. A delivery
   * (HQ → vendor) is HQ deciding to share: it grants the vendor read on each
   * source, recorded with the rest of the grants, so the wire's checks pass.
   */
  const applyAccess = (jobId: string, tasks: TaskSpec[]): void => {
    const job = snapshot(ctx, requireJobRow(ctx, jobId));
    if (job.source.kind === 'vendor' && job.destination.kind === 'hq') {
      for (const task of normaliseTasks(tasks, job.mirrorPaths)) shares.checkAccess(job.source.vendor, task.destination, 'write');
    } else if (job.source.kind === 'hq' && job.destination.kind === 'vendor') {
      for (const task of normaliseTasks(tasks, job.mirrorPaths)) shares.allowRead(job.destination.vendor, task.source);
    }
  };

  let lease: SchedulerLease | undefined;
  let renewal: NodeJS.Timeout | undefined;
  if (options.schedule !== false) {
    try {
      lease = acquireLease(db);
    } catch (err) {
      db.close();
      throw err;
    }
    renewal = setInterval(() => lease?.renew(), 10_000);
    renewal.unref();
    recoverExecuting(ctx);
    scheduler.start();
  }

  return {
    db,
    bus,
    shares,
    scheduler,
    agents: createAgentStore(db, clock),
    findJob: (name: string): Job | undefined => findJob(ctx, name),
    getJob: (id: string): Job | undefined => getJob(ctx, id),
    listJobs: (filter?: JobFilter): Job[] => listJobs(ctx, filter),
    ensureJob(spec: JobSpec): Job {
      validateSpec(spec);
      return changed(
        bus.transact((record) => {
          const existing = findJob(ctx, spec.name);
          if (existing) return existing;
          const job = insertJob(ctx, spec, record);
          if (!spec.tasks?.length) return job;
          applyAccess(job.id, spec.tasks);
          appendTasks(ctx, job.id, spec.tasks, record);
          return getJob(ctx, job.id) as Job;
        }),
      );
    },
    appendTasks(jobId: string, tasks: TaskSpec[]): AppendResult {
      return changed(
        bus.transact((record) => {
          applyAccess(jobId, tasks);
          return appendTasks(ctx, jobId, tasks, record);
        }),
      );
    },
    listTasks: (jobId: string): Task[] => listTasks(ctx, jobId),
    async pause(jobId: string): Promise<Job> {
      const job = pauseJob(ctx, jobId);
      await scheduler.interruptJob(jobId);
      return getJob(ctx, jobId) ?? job;
    },
    resume: (jobId: string): Job => changed(resumeJob(ctx, jobId)),
    prioritise(jobId: string, priority: number, taskIds?: string[]): void {
      if (taskIds) prioritiseTasks(ctx, jobId, priority, taskIds);
      else prioritiseJob(ctx, jobId, priority);
      scheduler.kick();
    },
    retry: (jobId: string, taskIds?: string[]): Task[] => changed(retryTasks(ctx, jobId, taskIds)),
    async exclude(jobId: string, taskIds: string[]): Promise<Task[]> {
      const tasks = excludeTasks(ctx, jobId, taskIds);
      await scheduler.interruptTasks(taskIds);
      return changed(tasks);
    },
    ensureShare: (share: Share): Promise<Share> => shares.ensureShare(share),
    getShare: (vendor: string): Share | undefined => shares.getShare(vendor),
    grant: (grant: Grant): void => shares.grant(grant),
    listGrants: (vendor: string): Grant[] => shares.listGrants(vendor),
    checkAccess: (vendor: string, p: string, mode: 'read' | 'write'): void => shares.checkAccess(vendor, p, mode),
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(renewal);
      await scheduler.stop();
      for (const transport of options.transports ?? []) await transport.close?.();
      lease?.release();
      db.close();
    },
  };
}

export type TransferCore = ReturnType<typeof createTransferCore>;
