import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { HandoffError } from '../../../../lib/core/errors.ts';
import { createManualClock, createTransferCore, type TransferCore } from '../../../../lib/transfer/core/index.ts';
import { backoffMs } from '../../../../lib/transfer/core/scheduler.ts';
import { migrations } from '../../../../lib/transfer/core/migrations.ts';
import { createEmbeddedTransfer } from '../../../../lib/transfer/embedded.ts';
import { gatedTransport, nextEvent, tempRoots } from '../setup.ts';

const toVendor = (vendor: string) => ({ kind: 'vendor', vendor }) as const;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: Parameters<typeof createTransferCore>[0] = {}) {
  const tmp = await tempRoots();
  const gate = gatedTransport();
  const clock = createManualClock();
  const core: TransferCore = createTransferCore({ dataDir: tmp.dataDir, roots: tmp.roots, transports: [gate.transport], clock, ...options });
  cleanups.push(tmp.cleanup, () => core.close());
  const taskOf = (id: string) => core.db.prepare('SELECT * FROM tasks WHERE id = ?').get(id) as { source: string; status: string; attempts: number; next_attempt_at: number | null };
  return { core, gate, clock, tmp, taskOf };
}

describe('scheduler', () => {
  it('orders by queue priority, job priority, task priority, then age', async () => {
    const { core, gate, taskOf } = await setup({ limits: { concurrency: 1 } });
    const low = core.ensureJob({ name: 'low', queue: 'low', source: { kind: 'hq' }, destination: toVendor('A'), paused: true, tasks: [{ source: 'low-1' }] });
    const mid = core.ensureJob({ name: 'mid', source: { kind: 'hq' }, destination: toVendor('B'), paused: true, tasks: [{ source: 'mid-old' }, { source: 'mid-new' }, { source: 'mid-urgent', priority: 900 }] });
    const mid2 = core.ensureJob({ name: 'mid2', source: { kind: 'hq' }, destination: toVendor('C'), paused: true, tasks: [{ source: 'mid2-1' }] });
    const high = core.ensureJob({ name: 'high', queue: 'high', source: { kind: 'hq' }, destination: toVendor('D'), paused: true, tasks: [{ source: 'high-1', priority: 1 }] });
    core.prioritise(mid2.id, 600);
    for (const job of [low, mid, mid2, high]) core.resume(job.id);
    const order: string[] = [];
    for (let n = 1; n <= 6; n++) {
      const [attempt] = (await gate.started(n)).slice(-1);
      order.push(taskOf(attempt?.taskId as string).source);
      attempt?.finish();
    }
    expect(order).toEqual(['high-1', 'mid2-1', 'mid-urgent', 'mid-old', 'mid-new', 'low-1']);
  });

  it('keeps to the global and per-agent concurrency limits', async () => {
    const { core, gate } = await setup({ limits: { concurrency: 3, perAgent: 2 } });
    core.ensureJob({ name: 'a', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: '1' }, { source: '2' }, { source: '3' }] });
    core.ensureJob({ name: 'b', source: { kind: 'hq' }, destination: toVendor('B'), tasks: [{ source: '1' }, { source: '2' }] });
    const first = await gate.started(3);
    const jobsOf = (ids: string[]) => ids.map((id) => (core.db.prepare('SELECT j.name FROM tasks t JOIN jobs j ON j.id = t.job_id WHERE t.id = ?').get(id) as { name: string }).name);
    expect(jobsOf(first.map((a) => a.taskId)).sort()).toEqual(['a', 'a', 'b']);
    expect(core.scheduler.runningCount()).toBe(3);
    first[0]?.finish();
    await gate.started(4);
    expect(core.scheduler.runningCount()).toBe(3);
  });

  it('retries with exponential backoff on the clock, and gives up after maxAttempts', async () => {
    const { core, gate, clock, taskOf } = await setup({ retry: { maxAttempts: 3, baseDelayMs: 1000 } });
    const job = core.ensureJob({ name: 'flaky', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'x' }] });
    const [task] = core.listTasks(job.id);
    const flaky = () => new HandoffError('TRANSFER_IO_FAILED', 'blip', { retryable: true });
    const failedOnce = nextEvent(core.bus.subscribe, (e) => e.type === 'task.status' && e.task.status === 'failed');
    (await gate.started(1))[0]?.finish(flaky());
    await failedOnce;
    expect(taskOf(task?.id as string)).toMatchObject({ status: 'failed', attempts: 1, next_attempt_at: clock.now() + 1000 });
    clock.advance(999);
    expect(gate.attempts.length).toBe(1);
    clock.advance(1);
    (await gate.started(2))[1]?.finish(flaky());
    await nextEvent(core.bus.subscribe, (e) => e.type === 'task.status' && e.task.status === 'failed');
    expect(taskOf(task?.id as string).next_attempt_at).toBe(clock.now() + 2000);
    clock.advance(2000);
    const postFailed = nextEvent(core.bus.subscribe, (e) => e.type === 'job.post-failed');
    (await gate.started(3))[2]?.finish(flaky());
    const event = await postFailed;
    expect(event.job.status).toBe('failed');
    expect(taskOf(task?.id as string)).toMatchObject({ status: 'failed', attempts: 3, next_attempt_at: null });
    expect(backoffMs(30, {})).toBe(300_000);
  });

  it('does not retry an error that cannot heal by waiting', async () => {
    const { core, gate, taskOf } = await setup();
    const job = core.ensureJob({ name: 'fatal', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'x' }] });
    const postFailed = nextEvent(core.bus.subscribe, (e) => e.type === 'job.post-failed');
    (await gate.started(1))[0]?.finish(new HandoffError('PATH_UNSAFE', 'nope'));
    await postFailed;
    expect(taskOf(core.listTasks(job.id)[0]?.id as string)).toMatchObject({ status: 'failed', next_attempt_at: null });
  });

  it('aborts in-flight work at once on pause and runs it again on resume without counting an attempt', async () => {
    const { core, gate, taskOf } = await setup();
    const job = core.ensureJob({ name: 'pausable', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'x' }] });
    const [first] = await gate.started(1);
    const paused = await core.pause(job.id);
    expect(first?.signal.aborted).toBe(true);
    expect(paused.status).toBe('paused');
    expect(taskOf(first?.taskId as string)).toMatchObject({ status: 'queued', attempts: 0 });
    core.resume(job.id);
    const done = nextEvent(core.bus.subscribe, (e) => e.type === 'job.post-done');
    (await gate.started(2))[1]?.finish();
    await done;
    expect(taskOf(first?.taskId as string)).toMatchObject({ status: 'done', attempts: 1 });
  });

  it('leaves tasks on hold until they are named in a retry', async () => {
    const { core, gate } = await setup();
    const job = core.ensureJob({ name: 'hold', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'later', status: 'onhold' }] });
    expect(core.getJob(job.id)?.status).toBe('waiting');
    const [held] = core.listTasks(job.id);
    expect(core.retry(job.id)).toEqual([]);
    expect(gate.attempts.length).toBe(0);
    expect(core.retry(job.id, [held?.id as string]).map((t) => t.status)).toEqual(['queued']);
    const done = nextEvent(core.bus.subscribe, (e) => e.type === 'job.post-done');
    (await gate.started(1))[0]?.finish();
    await done;
  });

  it('stops an excluded task that is running', async () => {
    const { core, gate } = await setup();
    const job = core.ensureJob({ name: 'exclude', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'x' }] });
    const [first] = await gate.started(1);
    const done = nextEvent(core.bus.subscribe, (e) => e.type === 'job.post-done');
    await core.exclude(job.id, [first?.taskId as string]);
    expect(first?.signal.aborted).toBe(true);
    await done;
    expect(core.listTasks(job.id).map((t) => t.status)).toEqual(['excluded']);
  });
});

describe('scheduler reacting to change', () => {
  it('interrupts the lowest running task when a higher-priority one arrives and no slot is free', async () => {
    const { core, gate, taskOf } = await setup({ limits: { concurrency: 1 } });
    const job = core.ensureJob({ name: 'busy', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'routine' }] });
    const [routine] = await gate.started(1);
    core.appendTasks(job.id, [{ source: 'urgent', priority: 900 }]);
    const [, urgent] = await gate.started(2);
    expect(routine?.signal.aborted).toBe(true);
    expect(taskOf(urgent?.taskId as string).source).toBe('urgent');
    expect(taskOf(routine?.taskId as string)).toMatchObject({ status: 'queued', attempts: 0 });
    urgent?.finish();
    const [, , again] = await gate.started(3);
    expect(again?.taskId).toBe(routine?.taskId);
    const done = nextEvent(core.bus.subscribe, (e) => e.type === 'job.post-done');
    again?.finish();
    await done;
  });

  it('interrupts only for a strictly higher priority, including after a re-prioritise', async () => {
    const { core, gate, clock } = await setup({ limits: { concurrency: 1 } });
    const job = core.ensureJob({ name: 'fair', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'first' }] });
    const [first] = await gate.started(1);
    core.appendTasks(job.id, [{ source: 'second' }, { source: 'third', priority: 499 }]);
    clock.advance(1000); // the reconcile runs a full scheduling pass synchronously
    expect(first?.signal.aborted).toBe(false);
    core.prioritise(job.id, 501, [core.listTasks(job.id)[2]?.id as string]);
    clock.advance(1000);
    expect(first?.signal.aborted).toBe(true);
    const [, third] = await gate.started(2);
    expect(core.listTasks(job.id).find((t) => t.id === third?.taskId)?.source).toBe('third');
  });

  it('picks up a pause made by another process on its next reconcile', async () => {
    const { core, gate, clock, tmp } = await setup({ reconcileMs: 1000 });
    const job = core.ensureJob({ name: 'shared', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'x' }] });
    const [attempt] = await gate.started(1);
    const other = createTransferCore({ dataDir: tmp.dataDir, schedule: false });
    await other.pause(job.id);
    await other.close();
    expect(attempt?.signal.aborted).toBe(false);
    const requeued = nextEvent(core.bus.subscribe, (e) => e.type === 'task.status' && e.task.status === 'queued');
    clock.advance(1000);
    expect(attempt?.signal.aborted).toBe(true);
    await requeued;
  });

  it('reports progress with a smoothed speed and an ETA', async () => {
    const { core, gate, clock } = await setup();
    const job = core.ensureJob({ name: 'speed', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'x' }] });
    const [attempt] = await gate.started(1);
    const progress = nextEvent(core.bus.subscribe, (e) => e.type === 'job.progress' && e.job.progress.bytesDone === 50);
    attempt?.options.onProgress(attempt.taskId, 10);
    clock.advance(500);
    attempt?.options.onProgress(attempt.taskId, 40);
    const event = await progress;
    expect(event.job.progress).toMatchObject({ bytesDone: 50, bytesTotal: 100, fraction: 0.5, speed: 100, eta: 0.5 });
    expect(core.getJob(job.id)?.progress.speed).toBe(100);
    attempt?.finish();
  });

  it('makes transports wait on the bandwidth token bucket', async () => {
    const { core, gate, clock } = await setup({ limits: { bandwidth: 1000 } });
    core.ensureJob({ name: 'slow', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'x' }] });
    const [attempt] = await gate.started(1);
    let allowed = false;
    const waiting = attempt?.options.throttle?.(5000, attempt.signal).then(() => (allowed = true));
    await Promise.resolve();
    clock.advance(4000);
    await Promise.resolve();
    expect(allowed).toBe(false);
    clock.advance(1100);
    await waiting;
    expect(allowed).toBe(true);
    attempt?.finish();
  });

  it('ends every watch when the adapter closes', async () => {
    const tmp = await tempRoots();
    cleanups.push(tmp.cleanup);
    const adapter = createEmbeddedTransfer({ dataDir: tmp.dataDir });
    const seen: string[] = [];
    const watching = (async () => {
      for await (const event of adapter.watch()) seen.push(event.type);
    })();
    await adapter.ensureJob({ name: 'w', source: { kind: 'hq' }, destination: toVendor('A') });
    await adapter.close();
    await watching;
    expect(seen).toEqual(['job.created']);
  });
});

describe('durable state', () => {
  it('puts tasks executing in a crashed run back in the queue on start', async () => {
    const tmp = await tempRoots();
    cleanups.push(tmp.cleanup);
    const first = createTransferCore({ dataDir: tmp.dataDir, schedule: false });
    const job = first.ensureJob({ name: 'crash', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'x' }] });
    first.db.prepare("UPDATE tasks SET status = 'executing', attempts = 1").run();
    first.db.close(); // no orderly stop: the process "died" here
    const gate = gatedTransport();
    const second = createTransferCore({ dataDir: tmp.dataDir, transports: [gate.transport] });
    cleanups.push(() => second.close());
    const [attempt] = await gate.started(1);
    expect(second.listTasks(job.id)[0]).toMatchObject({ status: 'executing', attempts: 2 });
    attempt?.finish();
  });

  it('yields one job and no duplicate tasks when several processes launch at once', async () => {
    const tmp = await tempRoots();
    cleanups.push(tmp.cleanup);
    createTransferCore({ dataDir: tmp.dataDir, schedule: false }).db.close(); // schema in place before the race
    const child = fileURLToPath(new URL('../../../support/transfer-launch-child.ts', import.meta.url));
    const pids = await Promise.all(
      Array.from({ length: 4 }, () => {
        const proc = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify({ dataDir: tmp.dataDir, launches: 12 })], { stdio: ['ignore', 'pipe', 'inherit'] });
        return new Promise<number>((resolve, reject) => proc.once('exit', (code) => (code === 0 ? resolve(proc.pid as number) : reject(new Error(`child exited ${code}`)))));
      }),
    );
    const core = createTransferCore({ dataDir: tmp.dataDir, schedule: false });
    cleanups.push(() => core.close());
    const jobs = core.listJobs({ name: 'shared-daily' });
    expect(jobs.length).toBe(1);
    const sources = core.listTasks(jobs[0]?.id as string).map((t) => t.source).sort();
    expect(sources).toEqual(['scd/a.exr', 'scd/b.exr', ...pids.map((pid) => `scd/from-${pid}.exr`)].sort());
  });

  it('lets one process schedule a data directory at a time, and takes over from a dead one', async () => {
    const tmp = await tempRoots();
    cleanups.push(tmp.cleanup);
    const first = createTransferCore({ dataDir: tmp.dataDir });
    expect(() => createTransferCore({ dataDir: tmp.dataDir })).toThrow(expect.objectContaining({ code: 'TRANSFER_SCHEDULER_BUSY' }));
    const reader = createTransferCore({ dataDir: tmp.dataDir, schedule: false });
    await reader.close();
    await first.close();
    const second = createTransferCore({ dataDir: tmp.dataDir });
    second.db.prepare('UPDATE scheduler_lease SET pid = 2147483646').run(); // as if its process had died
    const third = createTransferCore({ dataDir: tmp.dataDir });
    cleanups.push(() => third.close(), () => second.close());
    expect((third.db.prepare('SELECT pid FROM scheduler_lease').get() as { pid: number }).pid).toBe(process.pid);
  });

  it('keeps the event log append-only, never deletes tasks, and applies every migration', async () => {
    const tmp = await tempRoots();
    cleanups.push(tmp.cleanup);
    const core = createTransferCore({ dataDir: tmp.dataDir, schedule: false });
    cleanups.push(() => core.close());
    core.ensureJob({ name: 'audit', source: { kind: 'hq' }, destination: toVendor('A'), tasks: [{ source: 'x' }] });
    expect((core.db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n).toBeGreaterThan(0);
    expect(() => core.db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(() => core.db.prepare("UPDATE events SET type = 'x'").run()).toThrow(/append-only/);
    expect(() => core.db.prepare('DELETE FROM tasks').run()).toThrow(/never deleted/);
    expect(core.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(core.db.pragma('journal_mode', { simple: true })).toBe('wal');
  });
});
