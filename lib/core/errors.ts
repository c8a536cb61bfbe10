/**
 * One error type for the whole toolkit. Every failure carries a stable `code`
 * (documented in docs/errors.md with how to solve it), keeps its `cause`, and
 * says whether trying again can help. Adapters convert their clients' errors
 * into HandoffError at the boundary; nothing above them inspects client classes.
 */
export interface HandoffErrorOptions {
  cause?: unknown;
  /** True when the same call may succeed later (network blip, 5xx, busy). */
  retryable?: boolean;
  /** One actionable sentence for a person: what to do about it. */
  hint?: string;
  /** Structured facts (file, key path, task id ...) for logs and --json output. */
  details?: Record<string, unknown>;
}

export class HandoffError extends Error {
  override readonly name = 'HandoffError';
  readonly code: string;
  readonly retryable: boolean;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(code: string, message: string, options: HandoffErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  get fatal(): boolean {
    return !this.retryable;
  }

  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(Object.keys(this.details).length ? { details: this.details } : {}),
    };
  }
}

/**
 * True for a HandoffError, also one made by another copy of this module (a TD
 * file loaded on its own, for example), where `instanceof` cannot tell.
 */
export function isHandoffError(err: unknown, code?: string): err is HandoffError {
  const alike =
    err instanceof HandoffError ||
    (err instanceof Error && err.name === 'HandoffError' && typeof (err as { code?: unknown }).code === 'string');
  return alike && (code === undefined || (err as HandoffError).code === code);
}

/** Whether a failed call is worth repeating. Unknown errors are not. */
export function isRetryable(err: unknown): boolean {
  return isHandoffError(err) && err.retryable;
}

/** Wraps anything thrown into a HandoffError with `code`, keeping the original as `cause`. */
export function toHandoffError(err: unknown, code: string, options: HandoffErrorOptions = {}): HandoffError {
  if (isHandoffError(err)) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new HandoffError(code, message, { ...options, cause: err });
}
