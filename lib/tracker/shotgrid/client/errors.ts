/**
 * ShotGrid failures as HandoffErrors. The REST API answers errors as
 * `{"errors":[{id,status,code,title,detail,source,meta}]}`; the first entry's
 * title names what was refused, so it leads the message.
 */
import { HandoffError } from '../../../core/errors.ts';

/** One entry of the REST error envelope. */
export interface ShotgridApiError {
  id?: string | undefined;
  status?: number | undefined;
  code?: number | undefined;
  title?: string | undefined;
  detail?: string | null | undefined;
  source?: unknown;
  meta?: unknown;
}

/** Statuses that mean "busy or briefly down": the same call may succeed later. */
export const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

export function errorsOf(body: unknown): ShotgridApiError[] {
  const list = (body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(list) ? list.filter((e): e is ShotgridApiError => typeof e === 'object' && e !== null) : [];
}

function summary(errors: ShotgridApiError[], fallback: string): string {
  const parts = errors.map((e) => [e.title, e.detail].filter((s) => typeof s === 'string' && s.length > 0).join(': ')).filter(Boolean);
  return parts.length ? parts.join('; ') : fallback;
}

/** The HandoffError for a non-2xx answer of `method path`. */
export function responseError(status: number, body: unknown, call: { method: string; path: string }, text = ''): HandoffError {
  const errors = errorsOf(body);
  const what = `${call.method} ${call.path}`;
  const reason = summary(errors, text.trim().startsWith('<') ? 'an HTML error page' : text.trim().slice(0, 200) || `HTTP ${status}`);
  const details = { status, method: call.method, path: call.path, errors };
  if (status === 401) {
    return new HandoffError('SHOTGRID_AUTH_FAILED', `ShotGrid refused the credentials for ${what}: ${reason}`, {
      details,
      hint: 'Check the script name and key (ShotGrid Admin → Scripts), or the login and password.',
    });
  }
  if (status === 403) {
    return new HandoffError('SHOTGRID_PERMISSION_DENIED', `ShotGrid denied ${what}: ${reason}`, {
      details,
      hint: "Give the script (or the user it acts for) the permission the message names, or enable the site's API access.",
    });
  }
  if (status === 404) {
    return new HandoffError('SHOTGRID_NOT_FOUND', `ShotGrid found nothing at ${what}: ${reason}`, {
      details,
      hint: 'Check the entity type, id and field names; a retired record reads as not found.',
    });
  }
  if (RETRYABLE_STATUSES.has(status) || status >= 500) {
    return new HandoffError('SHOTGRID_UNAVAILABLE', `ShotGrid could not answer ${what} (HTTP ${status}): ${reason}`, {
      details,
      retryable: RETRYABLE_STATUSES.has(status),
      hint: 'Check the site URL and that the site is up; safe calls were already retried with backoff.',
    });
  }
  return new HandoffError('SHOTGRID_REQUEST_FAILED', `ShotGrid rejected ${what} (HTTP ${status}): ${reason}`, {
    details,
    hint: 'Check the entity, field and operator names in the request; the message quotes what ShotGrid refused.',
  });
}

/** A request that never got an answer (refused connection, reset, timeout). */
export function networkError(err: unknown, call: { method: string; path: string }, url: string): HandoffError {
  const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
  return new HandoffError('SHOTGRID_UNAVAILABLE', `ShotGrid at ${url} did not answer ${call.method} ${call.path}: ${reason}`, {
    cause: err,
    retryable: true,
    details: { method: call.method, path: call.path },
    hint: 'Check the site URL, the network and that the site is up.',
  });
}

export function invalidResponse(call: { method: string; path: string }, reason: string): HandoffError {
  return new HandoffError('SHOTGRID_RESPONSE_INVALID', `ShotGrid answered ${call.method} ${call.path} with ${reason}`, {
    details: { method: call.method, path: call.path },
    hint: 'Check that the site URL points at ShotGrid (not a proxy or login page).',
  });
}
