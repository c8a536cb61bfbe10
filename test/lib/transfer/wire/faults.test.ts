/**
 * The transfer core under faults, with real processes, sockets and disks: HQ
 * killed mid-delivery re-sends nothing the agent already verified, and its
 * progress neither passes 100% nor falls back; a full vendor disk is a named
 * error at both ends, the agent stays connected, nothing half-written stays,
 * and the delivery resumes by itself once space is freed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobEvent } from '../../../../lib/transfer/types.ts';
import { connectAgent, enrolAgent, type Agent, type AgentActivity } from '../../../../lib/transfer/wire/index.ts';
import { waitForJobEnd } from '../../../support/transfer-wait.ts';
import { expectSameTree, listFiles, makeTree } from './harness.ts';
import { startStudio, type Studio } from './studio.ts';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const CHILD = fileURLToPath(new URL('../../../support/wire-hq-child.ts', import.meta.url));

/** An HQ process; `lines` yields its stdout lines, `wait` the first one matching. */
function startHq(args: Record<string, unknown>) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  const waiting = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const wake of [...waiting]) wake();
  });
  child.stderr!.on('data', (data: Buffer) => (stderr += data.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanups.push(() => void child.kill('SIGKILL'));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    wait(match: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          for (const line of lines) {
            const found = line.match(match);
            if (found) {
              clearTimeout(timer);
              waiting.delete(check);
              resolve(found);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiting.delete(check);
          reject(new Error(`HQ printed no ${match} within ${timeoutMs} ms; stderr: ${stderr}`));
        }, timeoutMs);
        waiting.add(check);
        check();
      });
    },
  };
}

describe('HQ killed mid-delivery', () => {
  it('re-sends no file the agent verified while HQ was up or down, and progress never passes 100% nor falls back', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-hq-crash-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const hqRoot = path.join(dir, 'hq');
    const vendorRoot = path.join(dir, 'vendor');
    await mkdir(vendorRoot, { recursive: true });
    const files: Record<string, number> = {};
    for (let i = 0; i < 40; i++) files[`plates/p.${1000 + i}.exr`] = 100_000;
    for (let i = 0; i < 40; i++) files[`plates/small/s.${1000 + i}.txt`] = 4_000;
    await makeTree(hqRoot, files);
    const total = Object.values(files).reduce((sum, size) => sum + size, 0);
    const args = { dataDir: path.join(dir, 'data'), hqRoot, identityDir: path.join(dir, 'identity'), port: 0, source: 'plates', bandwidth: 1_500_000, enrol: true };

    const first = startHq(args);
    const code = (await first.wait(/^code (\S+)/))[1]!;
    const url = (await first.wait(/^listening (\S+)/))[1]!;
    const port = Number(url.split(':').pop());
    const credentials = await enrolAgent({ hqUrl: url, code });
    const received: AgentActivity[] = [];
    let reachedSixty!: () => void;
    const sixty = new Promise<void>((resolve) => (reachedSixty = resolve));
    const agent: Agent = await connectAgent({
      hqUrl: url,
      credentials,
      root: vendorRoot,
      stateDir: path.join(dir, 'agent-state'),
      onActivity: (activity) => {
        if (activity.type === 'received') received.push(activity);
        if (received.length >= 24) reachedSixty();
      },
    });
    cleanups.push(() => agent.close());
    await sixty;
    first.child.kill('SIGKILL');
    await first.exited;
    expect(first.lines.some((line) => line.startsWith('done'))).toBe(false);
    const lastBefore = Math.max(0, ...first.lines.filter((l) => l.startsWith('progress')).map((l) => Number(l.split(' ')[1])));

    // The agent keeps receiving nothing while HQ is down; what is in place now must never cross the wire again.
    let inPlace = 0;
    for (const relative of await listFiles(vendorRoot)) inPlace += (await stat(path.join(vendorRoot, relative))).size;
    expect(inPlace).toBeGreaterThan(0.3 * total);

    const second = startHq({ ...args, port, enrol: false });
    const [, status, sent] = await second.wait(/^done (\w+) (\d+)/, 45_000);
    expect(status).toBe('done');
    expect(Number(sent)).toBeLessThanOrEqual(total - inPlace);
    const fractions = second.lines.filter((l) => l.startsWith('progress')).map((l) => Number(l.split(' ')[1]));
    expect(Math.max(...fractions)).toBeLessThanOrEqual(1);
    expect(Math.min(...fractions)).toBeGreaterThanOrEqual(lastBefore);
    expect(first.stderr() + second.stderr()).not.toMatch(/MaxListenersExceeded/);
    await expectSameTree(path.join(hqRoot, 'plates'), path.join(vendorRoot, 'plates'));
  }, 90_000);
});

/** Mounts a tmpfs of `size` at `dir`; the reason when this machine does not allow it. */
function mountTmpfs(dir: string, size: string): string | undefined {
  if (process.platform !== 'linux') return 'tmpfs mounts are Linux only';
  const result = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  return result.status === 0 ? undefined : `cannot mount a tmpfs here (${(result.stderr || result.error?.message || '').trim()})`;
}

function waitForEvent(studio: Studio, jobId: string, match: (event: JobEvent) => boolean, timeoutMs = 20_000): Promise<JobEvent> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  return (async () => {
    try {
      for await (const event of studio.adapter.watch({ jobId, signal: controller.signal })) if (match(event)) return event;
      throw new Error('expected event did not arrive');
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  })();
}

describe('a full disk at the vendor', () => {
  it('is VENDOR_DISK_FULL at HQ and the vendor, keeps the agent connected, leaves no partial, and resumes once space is freed', async (context) => {
    const vendorRoot = await mkdtemp(path.join(os.tmpdir(), 'handoff-full-'));
    const refused = mountTmpfs(vendorRoot, '2m');
    if (refused) {
      await rm(vendorRoot, { recursive: true, force: true });
      context.skip(refused);
      return;
    }
    cleanups.push(async () => {
      spawnSync('umount', [vendorRoot]);
      await rm(vendorRoot, { recursive: true, force: true });
    });
    const studio = await startStudio({ vendorRoot });
    cleanups.push(() => studio.close());
    const files: Record<string, number> = {};
    for (let i = 0; i < 10; i++) files[`plates/p.${1000 + i}.exr`] = 300_000;
    for (let i = 0; i < 20; i++) files[`plates/s.${1000 + i}.txt`] = 4_000;
    await makeTree(studio.hqRoot, files);
    const session = studio.listener.session('CompersInc')!.id;

    const job = await studio.adapter.ensureJob({ name: 'full', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' }, tasks: [{ source: 'plates' }] });
    const failed = await waitForEvent(studio, job.id, (e) => e.type === 'task.status' && e.task.status === 'failed');
    const task = (failed as Extract<JobEvent, { type: 'task.status' }>).task;
    expect(task.lastError?.code).toBe('VENDOR_DISK_FULL');
    expect(task.lastError?.message).toMatch(/vendor's disk is full: plates\/\S+ needs [\d.]+ (KB|MB), [\d.]+ (B|KB|MB) free/);
    expect(studio.activity).toContainEqual(expect.objectContaining({ type: 'disk-full', needed: expect.any(Number), free: expect.any(Number) }));
    expect(studio.agent.connected).toBe(true);
    expect(studio.listener.session('CompersInc')?.id).toBe(session);
    const left = (await readdir(vendorRoot, { recursive: true })).filter((name) => String(name).endsWith('.handoff-partial'));
    expect(left).toEqual([]);

    // Space comes back: the delivery finishes by itself.
    expect(spawnSync('mount', ['-o', 'remount,size=16m', vendorRoot]).status).toBe(0);
    const done = await waitForJobEnd(studio.adapter, job.id, 30_000);
    expect(done.status).toBe('done');
    await expectSameTree(path.join(studio.hqRoot, 'plates'), path.join(vendorRoot, 'plates'));
    expect(studio.listener.session('CompersInc')?.id).toBe(session);
  }, 60_000);
});
