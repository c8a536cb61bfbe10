/**
 * The HTTP API under /api. Every route needs a caller: an admin token for
 * people and scripts, an agent signature for vendor agents, who may only use
 * the /api/vendor/* endpoints. `/api/transfer` is the TransferAdapter over
 * HTTP (what `--server` clients and the remote adapter speak).
 */
import { randomBytes } from 'node:crypto';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { HandoffError } from '../../core/errors.ts';
import { createTransferRouter } from '../../transfer/http-api.ts';
import { adminOnly, authenticate } from '../auth.ts';
import type { PinCheck } from '../agent-signature.ts';
import { idempotent } from '../idempotency.ts';
import type { RequestMemory } from '../request-memory.ts';
import type { ApiContext } from './context.ts';
import { errorHandler } from './errors.ts';
import { jobsRouter } from './jobs.ts';
import { recordsRouter } from './records.ts';
import { streamRouter } from './stream.ts';
import { vendorPublishRouter } from './vendor-publish.ts';
import { vendorsRouter } from './vendors.ts';

export type { ApiContext } from './context.ts';
export { errorHandler, statusFor } from './errors.ts';

export interface ApiOptions {
  adminTokens: readonly string[];
  caCert: string;
  isPinned: PinCheck;
  /** Aborted when the server shuts down: ends live streams. */
  closing: AbortSignal;
  /** Agent nonces and idempotent answers. */
  requests: RequestMemory;
  /** Told when a request's headers prove its caller. */
  onAuthenticated?: ((req: Request) => void) | undefined;
}

export function createApiRouter(ctx: ApiContext, options: ApiOptions): Router {
  const api = Router();
  // Nothing is read or parsed before the caller is known.
  api.use(authenticate({ ...options, nonces: options.requests.nonces }));
  api.use(idempotent(options.requests.idempotency));
  api.get('/session', (req, res) => res.json({ caller: req.caller }));
  api.use(vendorPublishRouter(ctx));
  api.use(adminOnly);

  // The transfer router checks its own bearer token; once the caller is known to be
  // an admin, requests reach it with a token only this process knows.
  const transferToken = randomBytes(32).toString('base64url');
  api.use(
    '/transfer',
    (req: Request, _res: Response, next: NextFunction) => {
      req.headers.authorization = `Bearer ${transferToken}`;
      next();
    },
    createTransferRouter({ adapter: ctx.transfer, token: transferToken, heartbeatMs: ctx.heartbeatMs }),
  );
  api.use(jobsRouter(ctx), vendorsRouter(ctx), recordsRouter(ctx), streamRouter(ctx, options.closing));
  api.use((req: Request, _res: Response, next: NextFunction) => {
    next(new HandoffError('SERVER_NOT_FOUND', `No API endpoint ${req.method} ${req.path}`, { hint: 'docs/server.md lists the endpoints.' }));
  });
  api.use(errorHandler);
  return api;
}
