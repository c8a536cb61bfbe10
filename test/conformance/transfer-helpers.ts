/** Helpers for the TransferAdapter conformance suite: event collection and file trees. */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { JobEvent, TransferAdapter } from '../../lib/transfer/types.ts';

export interface Collector {
  events: JobEvent[];
  /** Resolves with the first collected event matching, waiting up to `timeoutMs`. */
  until(match: (event: JobEvent) => boolean, timeoutMs?: number): Promise<JobEvent>;
  stop(): void;
}

/** Collects every event; resolves once the stream is proven live (a probe job's creation arrived). */
export async function collect(adapter: TransferAdapter): Promise<Collector> {
  const controller = new AbortController();
  const events: JobEvent[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    for await (const event of adapter.watch({ signal: controller.signal })) {
      events.push(event);
      for (const wake of [...waiters]) wake();
    }
  })().catch(() => undefined);
  const until = (match: (event: JobEvent) => boolean, timeoutMs = 20_000): Promise<JobEvent> =>
    new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = events.find(match);
        if (!hit) return false;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(hit);
        return true;
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching event within ${timeoutMs} ms; saw: ${events.map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      if (!check()) waiters.add(check);
    });
  const probe = `probe-${randomUUID()}`;
  for (let attempt = 0; attempt < 50; attempt++) {
    await adapter.ensureJob({ name: `${probe}-${attempt}`, source: { kind: 'hq' }, destination: { kind: 'hq' } });
    const seen = await until((e) => e.type === 'job.created' && e.job.name === `${probe}-${attempt}`, 200).then(
      () => true,
      () => false,
    );
    if (seen) break;
  }
  return { events, until, stop: () => controller.abort() };
}

/** Writes a tree of files (path → size) with random content and fixed old mtimes. */
export async function writeTree(root: string, files: Record<string, number>): Promise<void> {
  const mtime = new Date(Date.UTC(2024, 4, 1, 12, 0, 0));
  for (const [rel, size] of Object.entries(files)) {
    const abs = path.join(root, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, randomBytes(size));
    await utimes(abs, mtime, mtime);
  }
}

/** Relative paths of every file below `dir`, sorted. */
export async function listTree(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const abs = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listTree(abs, base)));
    else out.push(path.relative(base, abs).split(path.sep).join('/'));
  }
  return out.sort();
}

export async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([readFile(a), readFile(b)]);
  const [sa, sb] = await Promise.all([stat(a), stat(b)]);
  return x.equals(y) && Math.trunc(sa.mtimeMs / 1000) === Math.trunc(sb.mtimeMs / 1000);
}
