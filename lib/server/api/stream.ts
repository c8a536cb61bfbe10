/**
 * `GET /api/stream`: the live feed as server-sent events, one JSON object per
 * `data:` line, with keep-alive comments. Clients read it with fetch, so the
 * admin token travels in the Authorization header and never in a URL.
 */
import { Router } from 'express';
import type { ApiContext } from './context.ts';

export function streamRouter(ctx: ApiContext, closing: AbortSignal): Router {
  const router = Router();
  router.get('/stream', (req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': ready\n\n');
    const unsubscribe = ctx.live.subscribe((event) => res.write(`data: ${JSON.stringify(event)}\n\n`));
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), ctx.heartbeatMs);
    heartbeat.unref();
    const end = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      closing.removeEventListener('abort', end);
      if (!res.writableEnded) res.end();
    };
    closing.addEventListener('abort', end);
    req.on('close', end);
  });
  return router;
}
