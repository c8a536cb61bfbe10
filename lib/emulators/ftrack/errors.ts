/**
 * Errors the emulated server answers with. Each carries the exception name the
 * real server uses on the wire (`{exception, content, error_code}`), so the
 * official clients map them to the same error classes as against ftrack.
 */
import { HandoffError } from '../../core/errors.ts';

export const WIRE_EXCEPTIONS = {
  FTRACK_EMULATOR_VALIDATION: 'ValidationError',
  FTRACK_EMULATOR_NOT_FOUND: 'NoResultFoundError',
  FTRACK_EMULATOR_INVALID_ACTION: 'ServerError',
  FTRACK_EMULATOR_CREDENTIALS: 'InvalidCredentialsError',
  FTRACK_EMULATOR_BAD_REQUEST: 'ServerError',
} as const;

export type ApiErrorCode = keyof typeof WIRE_EXCEPTIONS;

/** A failure reported to the client as one ftrack error object. */
export class ApiError extends HandoffError {
  readonly exception: string;
  readonly errorCode: string | null;

  constructor(code: ApiErrorCode, message: string, options: { errorCode?: string; details?: Record<string, unknown>; hint?: string } = {}) {
    super(code, message, { details: options.details ?? {}, hint: options.hint ?? 'Correct the request as the message says.' });
    this.exception = WIRE_EXCEPTIONS[code];
    this.errorCode = options.errorCode ?? null;
  }

  toWire(): { exception: string; content: string; error_code: string | null } {
    return { exception: this.exception, content: this.message, error_code: this.errorCode };
  }
}

export function validationError(message: string, details: Record<string, unknown> = {}): ApiError {
  return new ApiError('FTRACK_EMULATOR_VALIDATION', message, { details });
}

export function notFoundError(entityType: string, key: unknown): ApiError {
  return new ApiError('FTRACK_EMULATOR_NOT_FOUND', `No ${entityType} found with key ${JSON.stringify(key)}.`, {
    details: { entityType, key },
  });
}

export const INVALID_CREDENTIALS_MESSAGE =
  'The supplied API key is not valid. API keys are created from Settings under the page API keys. ' +
  'The api key should be passed in the request header "ftrack-api-key".';
