/**
 * The scheduler: starts the best runnable tasks (queue priority, job priority,
 * task priority, age) within the global and per-agent concurrency limits,
 * drives a transport per task with the chunk ledger and the token buckets,
 * retries failures with exponential backoff, and aborts in-flight work at once
 * on pause or exclude (it resumes from the ledger).
 */
import { HandoffError, toHandoffError } from '../../core/errors.ts';
import type { FilePlan, Transport } from '../transport.ts';
import type { Party } from '../types.ts';
import { createTokenBucket, type TokenBucket } from './bandwidth.ts';
import { getJob, type StoreContext } from './jobs.ts';
import { createLedger } from './ledger.ts';
import type { Roots } from './roots.ts';
import type { Shares } from './shares.ts';
import { claimTask, finishTask, nextRetryAt, recordProgress, runnableTasks, sizeTask, type Runnable } from './tasks.ts';
import { chooseTransport } from './routing.ts';

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

export interface SchedulerOptions {
  ctx: StoreContext;
  roots: Roots;
  transports: Transport[];
  shares: Shares;
  limits?: Limits | undefined;
  retry?: RetryPolicy | undefined;
}

interface Running {
  jobId: string;
  agent: string;
  controller: AbortController;
  done: Promise<void>;
}

const PROGRESS_EVERY_MS = 200;

export function agentOf(source: Party, destination: Party): string {
  if (destination.kind === 'vendor') return destination.vendor;
  if (source.kind === 'vendor') return source.vendor;
  return 'hq';
}

export function backoffMs(attempts: number, retry: RetryPolicy = {}): number {
  const base = retry.baseDelayMs ?? 1000;
  return Math.min(retry.maxDelayMs ?? 300_000, base * 2 ** Math.max(0, attempts - 1));
}

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
    armRetryTimer();
  }

  function armRetryTimer(): void {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
    const at = nextRetryAt(ctx);
    if (at !== undefined) timer = clock.setTimeout(() => ((timer = undefined), tick()), Math.max(0, at - clock.now()));
  }

  function kick(): void {
    if (kicked || !started) return;
    kicked = true;
    queueMicrotask(tick);
  }

  function start(task: Runnable, agent: string): void {
    const controller = new AbortController();
    const entry: Running = { jobId: task.jobId, agent, controller, done: Promise.resolve() };
    running.set(task.id, entry);
    entry.done = execute(task, agent, controller.signal)
      .then(() => finishTask(ctx, task.id, controller.signal.aborted ? { status: 'released' } : { status: 'done' }))
      .catch((err: unknown) => {
        if (controller.signal.aborted) return finishTask(ctx, task.id, { status: 'released' });
        const error = toHandoffError(err, 'TRANSFER_FAILED');
        const attempts = (ctx.db.prepare('SELECT attempts FROM tasks WHERE id = ?').get(task.id) as { attempts: number } | undefined)?.attempts ?? 1;
        const again = error.retryable && attempts < (options.retry?.maxAttempts ?? Infinity);
        finishTask(ctx, task.id, { status: 'failed', error, retryAt: again ? clock.now() + backoffMs(attempts, options.retry) : undefined });
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
    const flush = (force: boolean): void => {
      const now = clock.now();
      if (!force && now - lastFlush < PROGRESS_EVERY_MS) return;
      lastFlush = now;
      recordProgress(ctx, task.id, bytes, filesDone);
      const job = getJob(ctx, task.jobId);
      if (job) ctx.bus.publish({ type: 'job.progress', job });
    };
    const bucket = bucketOf(agent);
    await transport.send(files, {
      from,
      to,
      signal,
      ledger: createLedger(ctx.db, task.id),
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
        if (result.ok) filesDone++;
        else failures.push({ file, error: result.error });
        flush(true);
      },
    });
    if (signal.aborted || failures.length === 0) return;
    const first = failures[0] as { file: FilePlan; error: HandoffError };
    throw new HandoffError(first.error.code, `${failures.length} of ${files.length} file(s) failed; first: ${first.file.source}: ${first.error.message}`, {
      cause: first.error,
      retryable: failures.every((failure) => failure.error.retryable),
      hint: first.error.hint,
      details: { failed: failures.slice(0, 20).map((f) => ({ source: f.file.source, code: f.error.code, message: f.error.message })) },
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
    },
    kick,
    speedOf: (jobId: string): number => speeds.get(jobId)?.speed ?? 0,
    interruptJob: (jobId: string) => interrupt((_id, run) => run.jobId === jobId),
    interruptTasks: (taskIds: string[]) => interrupt((id) => taskIds.includes(id)),
    setBandwidth(bytesPerSecond: number): void {
      global.setRate(bytesPerSecond);
    },
    runningCount: (): number => running.size,
    async stop(): Promise<void> {
      started = false;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      await interrupt(() => true);
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;
