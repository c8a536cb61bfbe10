/**
 * Process plumbing for the benchmark: spawn a Node script (inside a network
 * namespace when links are emulated), read its JSON lines, and read any
 * process's CPU time and peak memory from /proc.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface Running {
  child: ChildProcess;
  /** Next stdout line that satisfies `match` (bounded by `timeoutMs`). */
  next(match: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** Waits for the process to exit, killing it after `timeoutMs`. */
  exited(timeoutMs: number): Promise<void>;
}

export function spawnNode(script: string, args: string[], namespace?: string): Running {
  const extra = process.env.HANDOFF_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const node = [process.execPath, ...extra, '--import', 'tsx', script, ...args];
  const command = namespace ? ['ip', 'netns', 'exec', namespace, ...node] : node;
  const child = spawn(command[0]!, command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const wake of [...waiters]) wake();
  });
  child.once('exit', () => {
    for (const wake of [...waiters]) wake();
  });
  return {
    child,
    exited(timeoutMs) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    next(match, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`no answer from ${script} within ${timeoutMs} ms`)), timeoutMs);
        const done = (error?: Error, line?: string): void => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(line!);
        };
        const check = (): void => {
          const at = lines.findIndex(match);
          if (at >= 0) return done(undefined, lines.splice(at, 1)[0]);
          if (child.exitCode !== null || child.signalCode !== null) done(new Error(`${script} exited (${child.exitCode ?? child.signalCode})`));
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** CPU seconds (user + system) of a process and of its reaped children. */
export function cpuSeconds(pid: number, children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks / 100;
}

/** Peak resident memory (VmHWM) of a process, in bytes. */
export function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : 0;
}
