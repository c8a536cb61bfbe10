/**
 * The TransferAdapter as JSON over HTTP: an express Router that `handoff
 * serve` mounts (e.g. at /api/transfer). Every request needs the bearer token
 * the router was given; `GET /events` streams the adapter's events as SSE.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { HandoffError, toHandoffError } from '../core/errors.ts';
import { statusFor } from './json.ts';
import type { JobFilter, JobStatus, TransferAdapter } from './types.ts';

export interface TransferRouterOptions {
  adapter: TransferAdapter;
  /** Bearer token clients must present. */
  token: string;
  /** Interval of SSE keep-alive comments; default 15 s. */
  heartbeatMs?: number | undefined;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

function notFound(what: string, id: string): HandoffError {
  return new HandoffError('TRANSFER_JOB_NOT_FOUND', `No ${what} ${id}`, { details: { id }, hint: 'List jobs to find the right id.' });
}

export function createTransferRouter(options: TransferRouterOptions): Router {
  if (!options.token) throw new HandoffError('TRANSFER_OPTIONS_INVALID', 'createTransferRouter needs a `token`', { hint: 'Pass the bearer token clients will use.' });
  const { adapter } = options;
  const expected = digest(`Bearer ${options.token}`);
  const router = express.Router();
  router.use(express.json({ limit: '20mb' }));
  router.use((req: Request, _res: Response, next: NextFunction) => {
    if (timingSafeEqual(digest(req.get('authorization') ?? ''), expected)) return next();
    next(new HandoffError('TRANSFER_UNAUTHORIZED', 'Missing or wrong bearer token for the transfer API', { hint: 'Send `Authorization: Bearer <token>` with the server token.' }));
  });
  const body = (req: Request): Record<string, unknown> => (req.body ?? {}) as Record<string, unknown>;
  const ids = (value: unknown): string[] | undefined => (Array.isArray(value) ? value.map(String) : undefined);

  router.get('/jobs', async (req, res) => {
    const filter: JobFilter = {
      status: typeof req.query.status === 'string' ? (req.query.status.split(',') as JobStatus[]) : undefined,
      name: typeof req.query.name === 'string' ? req.query.name : undefined,
      vendor: typeof req.query.vendor === 'string' ? req.query.vendor : undefined,
    };
    res.json(await adapter.listJobs(filter));
  });
  router.get('/jobs/by-name/:name', async (req, res) => res.json((await adapter.findJob(req.params.name)) ?? null));
  router.post('/jobs', async (req, res) => res.json(await adapter.ensureJob(body(req) as never)));
  router.get('/jobs/:id', async (req, res) => {
    const job = await adapter.getJob(req.params.id);
    if (!job) throw notFound('transfer job with id', req.params.id);
    res.json(job);
  });
  router.get('/jobs/:id/tasks', async (req, res) => res.json(await adapter.listTasks(req.params.id)));
  router.post('/jobs/:id/tasks', async (req, res) => res.json(await adapter.appendTasks(req.params.id, (body(req).tasks ?? []) as never)));
  router.post('/jobs/:id/pause', async (req, res) => res.json(await adapter.pause(req.params.id)));
  router.post('/jobs/:id/resume', async (req, res) => res.json(await adapter.resume(req.params.id)));
  router.post('/jobs/:id/prioritise', async (req, res) => {
    await adapter.prioritise(req.params.id, Number(body(req).priority), ids(body(req).taskIds));
    res.json({ ok: true });
  });
  router.post('/jobs/:id/retry', async (req, res) => res.json(await adapter.retry(req.params.id, ids(body(req).taskIds))));
  router.post('/jobs/:id/exclude', async (req, res) => res.json(await adapter.exclude(req.params.id, ids(body(req).taskIds) ?? [])));
  router.put('/shares/:vendor', async (req, res) =>
    res.json(await adapter.ensureShare({ vendor: req.params.vendor, root: String(body(req).root ?? ''), volume: body(req).volume as string | undefined })),
  );
  router.get('/shares/:vendor', async (req, res) => res.json((await adapter.getShare(req.params.vendor)) ?? null));
  router.post('/grants', async (req, res) => {
    await adapter.grant(body(req) as never);
    res.json({ ok: true });
  });
  router.get('/grants/:vendor', async (req, res) => res.json(await adapter.listGrants(req.params.vendor)));

  router.get('/events', async (req, res) => {
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const iterator = adapter.watch({ jobId: typeof req.query.jobId === 'string' ? req.query.jobId : undefined, signal: controller.signal });
    res.write(': ready\n\n');
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    heartbeat.unref();
    try {
      for await (const event of iterator) res.write(`data: ${JSON.stringify(event)}\n\n`);
    } finally {
      clearInterval(heartbeat);
      res.end();
    }
  });

  router.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const error = toHandoffError(err, (err as { type?: string }).type === 'entity.parse.failed' ? 'TRANSFER_REQUEST_INVALID' : 'INTERNAL');
    res.status(statusFor(error.code)).json({ error: error.toJSON() });
  });
  return router;
}
