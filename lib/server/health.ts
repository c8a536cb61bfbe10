/**
 * `/healthz` answers while the process serves HTTP; `/readyz` says whether it
 * can do its work: the databases answer, the agent listener is up, and the
 * tracker answers a small read in time. Both are unauthenticated and tell
 * nothing secret.
 */
import { Router } from 'express';
import type { Tracker } from '../tracker/types.ts';
import type { TransferAdapter } from '../transfer/types.ts';
import type { ServerStore } from './store.ts';

export interface Check {
  ok: boolean;
  detail?: string | undefined;
}

export interface Readiness {
  ready: boolean;
  checks: { database: Check; listener: Check; tracker: Check };
}

export interface ReadinessSources {
  store: ServerStore;
  transfer: TransferAdapter;
  /** Undefined when the server runs without an agent listener. */
  listenerUp?: (() => boolean) | undefined;
  tracker?: Tracker | undefined;
  trackerTimeoutMs?: number | undefined;
}

async function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const failed = (err: unknown): Check => ({ ok: false, detail: err instanceof Error ? err.message : String(err) });

export async function checkReadiness(sources: ReadinessSources): Promise<Readiness> {
  let database: Check;
  try {
    await sources.transfer.listJobs({ status: ['running'] });
    database = sources.store.ping() ? { ok: true } : { ok: false, detail: 'the server database does not answer' };
  } catch (err) {
    database = failed(err);
  }
  const listener: Check = !sources.listenerUp
    ? { ok: true, detail: 'off' }
    : sources.listenerUp()
      ? { ok: true }
      : { ok: false, detail: 'the agent listener is closed' };
  let tracker: Check = { ok: true, detail: 'none configured' };
  if (sources.tracker) {
    try {
      await within(sources.trackerTimeoutMs ?? 3000, sources.tracker.listStatuses());
      tracker = { ok: true, detail: sources.tracker.name };
    } catch (err) {
      tracker = failed(err);
    }
  }
  return { ready: database.ok && listener.ok && tracker.ok, checks: { database, listener, tracker } };
}

/**
 * Probes may ask every second; the answer is reused for `cacheMs` (default 2 s)
 * so the tracker is not asked more often than that.
 */
export function healthRouter(sources: () => ReadinessSources, cacheMs = 2000): Router {
  const router = Router();
  let last: { at: number; answer: Promise<Readiness> } | undefined;
  router.get('/healthz', (_req, res) => res.json({ ok: true }));
  router.get('/readyz', async (_req, res) => {
    const now = Date.now();
    if (!last || now - last.at > cacheMs) last = { at: now, answer: checkReadiness(sources()) };
    const readiness = await last.answer;
    res.status(readiness.ready ? 200 : 503).json(readiness);
  });
  return router;
}
