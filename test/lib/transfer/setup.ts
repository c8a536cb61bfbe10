/** Shared set-up for transfer tests: temp roots, a gated fake transport, event waits. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { HandoffError } from '../../../lib/core/errors.ts';
import type { FilePlan, SendOptions, Transport } from '../../../lib/transfer/transport.ts';
import type { JobEvent } from '../../../lib/transfer/types.ts';

export async function tempRoots() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-transfer-'));
  const roots = { hq: { proj: path.join(dir, 'hq') }, vendors: { CompersInc: path.join(dir, 'compers'), OtherVendor: path.join(dir, 'other') } };
  for (const root of [roots.hq.proj, roots.vendors.CompersInc, roots.vendors.OtherVendor]) await mkdir(root, { recursive: true });
  return { dir, roots, dataDir: path.join(dir, 'data'), cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Waits for the first event (published after `subscribe`) that matches. */
export function nextEvent(subscribe: (listener: (event: JobEvent) => void) => () => void, match: (event: JobEvent) => boolean, timeoutMs = 10_000): Promise<JobEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('expected event did not arrive'));
    }, timeoutMs);
    const stop = subscribe((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      stop();
      resolve(event);
    });
  });
}

interface Attempt {
  taskId: string;
  signal: AbortSignal;
  options: SendOptions;
  finish(result?: 'ok' | HandoffError): void;
}

/**
 * A transport whose attempts wait until the test finishes them, so tests see
 * exactly what runs at once. Each task is one 100-byte file.
 */
export function gatedTransport(name = 'gated') {
  const attempts: Attempt[] = [];
  const waiters: (() => void)[] = [];
  const transport: Transport = {
    name,
    list: async (_from, requests) => requests.map((r) => ({ taskId: r.taskId, source: r.source, destination: r.destination, size: 100, mtimeMs: 0 })),
    send: (files: FilePlan[], options: SendOptions) =>
      new Promise<void>((resolve, reject) => {
        const file = files[0] as FilePlan;
        const attempt: Attempt = {
          taskId: file.taskId,
          signal: options.signal,
          options,
          finish(result = 'ok') {
            if (result === 'ok') {
              options.onProgress(file.taskId, 100);
              options.onFileDone(file, { ok: true });
              resolve();
            } else reject(result);
          },
        };
        options.signal.addEventListener('abort', () => reject(options.signal.reason as Error), { once: true });
        attempts.push(attempt);
        for (const wake of waiters.splice(0)) wake();
      }),
  };
  /** Waits until `count` attempts have started in total. */
  const started = async (count: number): Promise<Attempt[]> => {
    for (let guard = 0; attempts.length < count && guard < 10_000; guard++) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`only ${attempts.length} of ${count} attempts started`)), 10_000);
        waiters.push(() => (clearTimeout(timer), resolve()));
      });
    }
    return attempts.slice(0, count);
  };
  return { transport, attempts, started };
}
