/** HandoffErrors as JSON answers with a fitting HTTP status. */
import type { NextFunction, Request, Response } from 'express';
import { toHandoffError } from '../../core/errors.ts';
import { statusFor as transferStatus } from '../../transfer/json.ts';

const STATUS: Record<string, number> = {
  SERVER_UNAUTHORIZED: 401,
  SERVER_AGENT_SIGNATURE_INVALID: 401,
  SERVER_AGENT_TIME_INVALID: 401,
  SERVER_AGENT_REPLAYED: 401,
  SERVER_REQUEST_INVALID: 400,
  SERVER_BODY_TOO_LARGE: 413,
  SERVER_BODY_TOO_DEEP: 400,
  SERVER_IDEMPOTENCY_PENDING: 409,
  SERVER_IDEMPOTENCY_CONFLICT: 422,
  SERVER_FORBIDDEN: 403,
  SERVER_AGENT_NOT_FOUND: 404,
  PUBLISH_AUTHOR_DENIED: 403,
  SERVER_LISTENER_OFF: 409,
  SERVER_TRACKER_OFF: 409,
  PUBLISH_NOTHING: 422,
  PUBLISH_FIELDS_MISSING: 422,
};

export function statusFor(code: string): number {
  return STATUS[code] ?? transferStatus(code);
}

export function errorHandler(err: unknown, _req: Request, res: Response, _next: NextFunction): void {
  const type = (err as { type?: string } | undefined)?.type;
  const error = toHandoffError(err, type === 'entity.parse.failed' || type === 'entity.too.large' ? 'SERVER_REQUEST_INVALID' : 'INTERNAL');
  if (res.headersSent) return void res.end();
  res.status(statusFor(error.code)).json({ error: error.toJSON() });
}
