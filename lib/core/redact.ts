/**
 * Hides secrets before anything is printed or logged: values under keys that
 * look like credentials, and passwords inside URLs. Empty values stay visible
 * so "not set" can still be seen.
 */
export const REDACTED = '[redacted]';

const secretKey = /api[-_]?key|token|passw(or)?d|secret|authori[sz]ation|cookie|credential|private[-_]?key|script[-_]?key/i;

export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/** A deep copy of `value` with secrets replaced by "[redacted]". */
export function redactSecrets<T>(value: T): T {
  return redact(value, false, new WeakSet()) as T;
}

function redact(value: unknown, secret: boolean, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return secret && value !== '' ? REDACTED : redactUrl(value);
  if (value === null || typeof value !== 'object') return secret && value !== undefined && value !== null ? REDACTED : value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, secret, seen));
  if (value instanceof Error) return redact(serializeError(value), secret, seen);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, secret || isSecretKey(key), seen)]));
}

function redactUrl(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s/@]+@/gi, `$1:${REDACTED}@`);
}

/** Plain data for an Error: name, message, code and details when present, stack. */
export function serializeError(err: Error): Record<string, unknown> {
  const withCode = err as Error & { code?: unknown; details?: unknown };
  return {
    name: err.name,
    message: err.message,
    ...(withCode.code !== undefined ? { code: withCode.code } : {}),
    ...(withCode.details !== undefined ? { details: withCode.details } : {}),
    ...(err.stack ? { stack: err.stack } : {}),
  };
}
