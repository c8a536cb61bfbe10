/**
 * The scheduler: starts the best runnable tasks (queue priority, job priority,
 * task priority, age) within the global and per-agent concurrency limits,
 * drives a transport per task with the chunk ledger and the token buckets,
 * retries failures with exponential backoff, and aborts in-flight work at once
 * on pause or exclude (it resumes from the ledger).
 */
import { setMaxListeners } from 'node:events';
import { HandoffError, toHandoffError } from '../../core/errors.ts';
import type { FileDigest, FilePlan, Transport } from '../transport.ts';
import { createDeliveryStore } from './delivered.ts';
import type { Party } from '../types.ts';
import { createTokenBucket, type TokenBucket } from './bandwidth.ts';
import { getJob, type StoreContext } from './jobs.ts';
import { createLedger } from './ledger.ts';
import type { Roots } from './roots.ts';
import type { Shares } from './shares.ts';
import { claimTask, finishTask, nextRetryAt, recordProgress, runnableTasks, sizeTask, taskRank, type Found, type Runnable } from './tasks.ts';
import { agentOf, backoffMs, outranks, type Limits, type RetryPolicy } from './policy.ts';
import { chooseTransport } from './routing.ts';

export interface SchedulerOptions {
  ctx: StoreContext;
  roots: Roots;
  transports: Transport[];
  shares: Shares;
  limits?: Limits | undefined;
  retry?: RetryPolicy | undefined;
  /** How often to pick up changes made by other processes; default 1 s. */
  reconcileMs?: number | undefined;
}

interface Running {
  jobId: string;
  agent: string;
  controller: AbortController;
  done: Promise<void>;
}

const PROGRESS_EVERY_MS = 200;
const DISK_FULL_RECHECK_MS = 10_000;
/** Files changed at the vendor that a task lists by name (all are counted). */
const VENDOR_CHANGED_KEPT = 100;

export function createScheduler(options: SchedulerOptions) {
  const { ctx, roots, transports, shares } = options;
  const clock = ctx.clock;
  const limits = { concurrency: options.limits?.concurrency ?? 4, perAgent: options.limits?.perAgent ?? 2 };
  const running = new Map<string, Running>();
  const speeds = new Map<string, { speed: number; bytes: number; since: number }>();
  const global: TokenBucket = createTokenBucket(options.limits?.bandwidth ?? 0, clock);
  const perAgent = new Map<string, TokenBucket>();
  let started = false;
  let kicked = false;
  let timer: unknown;
  let reconcileTimer: unknown;

  const bucketOf = (agent: string): TokenBucket => {
    let bucket = perAgent.get(agent);
    if (!bucket) perAgent.set(agent, (bucket = createTokenBucket(options.limits?.perAgentBandwidth ?? 0, clock)));
    return bucket;
  };

  function tick(): void {
    kicked = false;
    if (!started) return;
    const busy = new Map<string, number>();
    for (const run of running.values()) busy.set(run.agent, (busy.get(run.agent) ?? 0) + 1);
    for (let guard = 0; guard < limits.concurrency && running.size < limits.concurrency; guard++) {
      const candidates = runnableTasks(ctx, clock.now(), running.size + 200);
      const next = candidates.find((task) => {
        if (running.has(task.id)) return false;
        const agent = agentOf(JSON.parse(task.jobSource) as Party, JSON.parse(task.jobDestination) as Party);
        return (busy.get(agent) ?? 0) < limits.perAgent;
      });
      if (!next) break;
      const agent = agentOf(JSON.parse(next.jobSource) as Party, JSON.parse(next.jobDestination) as Party);
      if (!claimTask(ctx, next.id)) continue;
      busy.set(agent, (busy.get(agent) ?? 0) + 1);
      start(next, agent);
    }
    preempt(busy);
    armRetryTimer();
  }

  /**
   * When every slot is taken and a waiting task outranks a running one, the
   * lowest running task is interrupted; it goes back to the queue and resumes
   * from its ledger later.
   */
  function preempt(busy: Map<string, number>): void {
    const [best] = runnableTasks(ctx, clock.now(), 1);
    if (!best) return;
    const agent = agentOf(JSON.parse(best.jobSource) as Party, JSON.parse(best.jobDestination) as Party);
    const globalFull = running.size >= limits.concurrency;
    const agentFull = (busy.get(agent) ?? 0) >= limits.perAgent;
    if (!globalFull && !agentFull) return;
    const bestRank = taskRank(ctx, best.id);
    let victim: { run: Running; rank: number[] } | undefined;
    for (const [id, run] of running) {
      if (run.controller.signal.aborted || (agentFull && run.agent !== agent)) continue;
      const rank = taskRank(ctx, id);
      if (outranks(bestRank, rank) && (!victim || outranks(victim.rank, rank))) victim = { run, rank };
    }
    victim?.run.controller.abort(new HandoffError('TRANSFER_ABORTED', 'Interrupted for a higher-priority task', { retryable: true }));
  }

  /**
   * State may change in another process (a CLI pausing a job): stop attempts
   * that may no longer run, and start what became runnable.
   */
  function reconcile(): void {
    reconcileTimer = undefined;
    if (!started) return;
    const state = ctx.db.prepare('SELECT t.status AS task, j.status AS job FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE t.id = ?');
    for (const [id, run] of running) {
      const row = state.get(id) as { task: string; job: string } | undefined;
      if (!row || row.task !== 'executing' || row.job === 'paused' || row.job === 'aborted') {
        run.controller.abort(new HandoffError('TRANSFER_ABORTED', 'Transfer interrupted', { retryable: true }));
      }
    }
    tick();
    reconcileTimer = clock.setTimeout(reconcile, options.reconcileMs ?? 1000);
  }

  function armRetryTimer(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    const at = nextRetryAt(ctx);
    // A task already due but not started waits for a free slot; the next finish kicks the scheduler.
    if (at !== undefined && at > clock.now()) timer = clock.setTimeout(() => ((timer = undefined), tick()), at - clock.now());
  }

  function kick(): void {
    if (kicked || !started) return;
    kicked = true;
    queueMicrotask(tick);
  }

  function start(task: Runnable, agent: string): void {
    const controller = new AbortController();
    // Every chunk in the window may wait on the bandwidth buckets with this signal at once.
    setMaxListeners(0, controller.signal);
    const entry: Running = { jobId: task.jobId, agent, controller, done: Promise.resolve() };
    running.set(task.id, entry);
    entry.done = execute(task, agent, controller.signal)
      .then(() => finishTask(ctx, task.id, controller.signal.aborted ? { status: 'released' } : { status: 'done' }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return finishTask(ctx, task.id, { status: 'released' });
        const error = toHandoffError(err, 'TRANSFER_FAILED');
        const attempts = (ctx.db.prepare('SELECT attempts FROM tasks WHERE id = ?').get(task.id) as { attempts: number } | undefined)?.attempts ?? 1;
        const again = error.retryable && attempts < (options.retry?.maxAttempts ?? Infinity);
        // A full disk at the vendor is looked at again soon whatever the attempt count: the delivery resumes once space is freed.
        const delay = error.code === 'VENDOR_DISK_FULL' ? Math.min(backoffMs(attempts, options.retry), DISK_FULL_RECHECK_MS) : backoffMs(attempts, options.retry);
        finishTask(ctx, task.id, { status: 'failed', error, retryAt: again ? clock.now() + delay : undefined });
      })
      .catch(() => undefined)
      .finally(() => {
        running.delete(task.id);
        if (![...running.values()].some((run) => run.jobId === task.jobId)) speeds.delete(task.jobId);
        kick();
      });
  }

  async function execute(task: Runnable, agent: string, signal: AbortSignal): Promise<void> {
    const from = JSON.parse(task.jobSource) as Party;
    const to = JSON.parse(task.jobDestination) as Party;
    const transport = chooseTransport(transports, roots, from, to);
    const files = await transport.list(from, [{ taskId: task.id, source: task.source, destination: task.destination }], signal);
    if (from.kind === 'vendor' && to.kind === 'hq') {
      for (const file of files) shares.checkAccess(from.vendor, file.destination, 'write');
    }
    sizeTask(ctx, task.id, files.reduce((sum, file) => sum + file.size, 0), files.length);
    let bytes = 0;
    let filesDone = 0;
    let lastFlush = clock.now();
    const failures: { file: FilePlan; error: HandoffError }[] = [];
    const delivered = to.kind === 'vendor' ? createDeliveryStore(ctx.db, to.vendor) : undefined;
    const placed: { path: string; digest: FileDigest }[] = [];
    const found: Found = { filesPresent: 0, bytesPresent: 0, vendorChanged: [], filesVendorChanged: 0 };
    const flush = (force: boolean): void => {
      const now = clock.now();
      if (!force && now - lastFlush < PROGRESS_EVERY_MS) return;
      lastFlush = now;
      delivered?.put(placed.splice(0));
      recordProgress(ctx, task.id, bytes, filesDone, found);
      const job = getJob(ctx, task.jobId);
      if (job) ctx.bus.publish({ type: 'job.progress', job });
    };
    const bucket = bucketOf(agent);
    try {
      await transport.send(files, {
        from,
        to,
        signal,
        ledger: createLedger(ctx.db, task.id),
        delivered,
        throttle: async (size, abortSignal) => {
          await global.take(size, abortSignal);
          await bucket.take(size, abortSignal);
        },
        onProgress: (_taskId, delta) => {
          bytes += delta;
          meter(task.jobId, delta);
          flush(false);
        },
        onFileDone: (file, result) => {
          if (result.ok) {
            filesDone++;
            if (result.digest && delivered) placed.push({ path: file.destination, digest: result.digest });
            if (result.present || result.vendorChanged?.action === 'keep') bytes += file.size; // done, though not sent (no speed)
            if (result.present) {
              found.filesPresent++;
              found.bytesPresent += file.size;
            }
            if (result.vendorChanged) {
              found.filesVendorChanged++;
              if (found.vendorChanged.length < VENDOR_CHANGED_KEPT) found.vendorChanged.push({ path: file.destination, ...result.vendorChanged });
            }
          } else failures.push({ file, error: result.error });
          flush(false);
        },
      });
    } finally {
      flush(true); // also records the files put in place before a failure
    }
    if (signal.aborted || failures.length === 0) return;
    const first = failures[0] as { file: FilePlan; error: HandoffError };
    throw new HandoffError(first.error.code, `${failures.length} of ${files.length} file(s) failed; first: ${first.file.source}: ${first.error.message}`, {
      cause: first.error,
      retryable: failures.every((failure) => failure.error.retryable),
      hint: first.error.hint,
      details: { ...first.error.details, failed: failures.slice(0, 20).map((f) => ({ source: f.file.source, code: f.error.code, message: f.error.message })) },
    });
  }

  function meter(jobId: string, delta: number): void {
    const now = clock.now();
    const m = speeds.get(jobId) ?? { speed: 0, bytes: 0, since: now };
    m.bytes += delta;
    const elapsed = now - m.since;
    if (elapsed >= 250) {
      const sample = (m.bytes * 1000) / elapsed;
      m.speed = m.speed === 0 ? sample : 0.3 * sample + 0.7 * m.speed;
      m.bytes = 0;
      m.since = now;
    }
    speeds.set(jobId, m);
  }

  /** Aborts in-flight attempts of these tasks (or a whole job); they go back to the queue. */
  async function interrupt(match: (taskId: string, run: Running) => boolean): Promise<void> {
    const hits = [...running].filter(([id, run]) => match(id, run));
    for (const [, run] of hits) run.controller.abort(new HandoffError('TRANSFER_ABORTED', 'Transfer interrupted', { retryable: true }));
    await Promise.all(hits.map(([, run]) => run.done));
  }

  return {
    start(): void {
      started = true;
      kick();
      reconcileTimer = clock.setTimeout(reconcile, options.reconcileMs ?? 1000);
    },
    kick,
    /** A vendor's agent connected: its tasks waiting out a retry delay run now. */
    agentReady(vendor: string): void {
      if (!started) return;
      const now = clock.now();
      ctx.db
        .prepare(
          `UPDATE tasks SET next_attempt_at = ? WHERE status = 'failed' AND next_attempt_at > ? AND job_id IN (
             SELECT id FROM jobs WHERE status IN ('waiting', 'running')
               AND (json_extract(destination, '$.vendor') = ? OR json_extract(source, '$.vendor') = ?))`,
        )
        .run(now, now, vendor, vendor);
      kick();
    },
    speedOf: (jobId: string): number => speeds.get(jobId)?.speed ?? 0,
    interruptJob: (jobId: string) => interrupt((_id, run) => run.jobId === jobId),
    interruptTasks: (taskIds: string[]) => interrupt((id) => taskIds.includes(id)),
    setBandwidth(bytesPerSecond: number): void {
      global.setRate(bytesPerSecond);
    },
    runningCount: (): number => running.size,
    async stop(): Promise<void> {
      started = false;
      for (const handle of [timer, reconcileTimer]) if (handle !== undefined) clock.clearTimeout(handle);
      timer = reconcileTimer = undefined;
      await interrupt(() => true);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
export type { Limits, RetryPolicy } from './policy.ts';
export { agentOf, backoffMs } from './policy.ts';
