/**
 * `Idempotency-Key` on the API's write requests: the first request with a key
 * runs and its answer is kept; the same request again (a retry after a lost
 * answer) gets that answer back, marked `Idempotent-Replayed: true`, and does
 * nothing. The same key with another body is refused. Failed requests keep no
 * answer, so they may be retried with the same key.
 */
import { createHash } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HandoffError } from '../core/errors.ts';
import type { IdempotencyMemory } from './request-memory.ts';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;

export function idempotent(memory: IdempotencyMemory) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = req.get('idempotency-key');
    if (key === undefined || req.method === 'GET' || req.method === 'HEAD') return next();
    if (!KEY.test(key)) {
      return next(
        new HandoffError('SERVER_REQUEST_INVALID', 'The Idempotency-Key header must be 8 to 128 letters, digits or "_.:-"', {
          hint: 'Send a random key per operation, e.g. a UUID, and the same key when retrying it.',
        }),
      );
    }
    const caller = req.caller?.kind === 'agent' ? `agent:${req.caller.vendor}` : 'admin';
    const route = `${req.method} ${req.baseUrl}${req.path}`;
    const fingerprint = createHash('sha256').update(route).update('\n').update(req.rawBody ?? '').digest('hex');
    const started = memory.start(caller, key, route, fingerprint);
    if (started.kind === 'done') {
      res.set('idempotent-replayed', 'true').status(started.status).json(started.body);
      return;
    }
    if (started.kind === 'pending') {
      return next(
        new HandoffError('SERVER_IDEMPOTENCY_PENDING', `A request with Idempotency-Key ${key} is still under way`, {
          retryable: true,
          details: { key },
          hint: 'Nothing was done. Retry in a moment with the same key to get its answer.',
        }),
      );
    }
    if (started.kind === 'conflict') {
      return next(
        new HandoffError('SERVER_IDEMPOTENCY_CONFLICT', `Idempotency-Key ${key} was already used for a different request (${started.route})`, {
          details: { key, route: started.route },
          hint: 'Nothing was done. Use a new key for a new operation; reuse a key only to retry the very same request.',
        }),
      );
    }
    let answered = false;
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      answered = true;
      if (res.statusCode < 400) memory.finish(caller, key, res.statusCode, body);
      else memory.forget(caller, key);
      return json(body);
    };
    res.on('close', () => {
      if (!answered) memory.forget(caller, key);
    });
    next();
  };
}
