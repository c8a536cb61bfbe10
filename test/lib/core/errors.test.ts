import { describe, expect, it } from 'vitest';
import { HandoffError, isRetryable, toHandoffError } from '../../../lib/core/errors.ts';

describe('HandoffError', () => {
  it('keeps code, cause and retryability', () => {
    const cause = new Error('socket hang up');
    const err = new HandoffError('TRACKER_UNAVAILABLE', 'ftrack did not answer', { cause, retryable: true });
    expect(err.code).toBe('TRACKER_UNAVAILABLE');
    expect(err.cause).toBe(cause);
    expect(err.retryable).toBe(true);
    expect(err.fatal).toBe(false);
    expect(isRetryable(err)).toBe(true);
  });

  it('treats unknown errors as not retryable and wraps them with their cause', () => {
    const plain = new TypeError('boom');
    expect(isRetryable(plain)).toBe(false);
    const wrapped = toHandoffError(plain, 'INTERNAL');
    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.message).toBe('boom');
    expect(wrapped.cause).toBe(plain);
    expect(toHandoffError(wrapped, 'OTHER')).toBe(wrapped);
  });

  it('serialises to a stable JSON shape', () => {
    const err = new HandoffError('PATH_UNSAFE', 'refused', { hint: 'use a relative path', details: { path: '../x' } });
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      code: 'PATH_UNSAFE',
      message: 'refused',
      retryable: false,
      hint: 'use a relative path',
      details: { path: '../x' },
    });
  });
});
