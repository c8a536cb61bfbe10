import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretKey, redactSecrets } from '../../../lib/core/redact.ts';

describe('redactSecrets', () => {
  it('recognises credential-like keys', () => {
    for (const key of ['apiKey', 'api_key', 'scriptKey', 'adminTokens', 'password', 'clientSecret', 'Authorization', 'privateKey']) {
      expect(isSecretKey(key), key).toBe(true);
    }
    for (const key of ['user', 'serverUrl', 'keyframes', 'name']) expect(isSecretKey(key), key).toBe(false);
  });

  it('keeps empty secrets visible and leaves the input untouched', () => {
    const input = { tracker: { apiKey: '', scriptKey: 's3cret' } };
    expect(redactSecrets(input)).toEqual({ tracker: { apiKey: '', scriptKey: REDACTED } });
    expect(input.tracker.scriptKey).toBe('s3cret');
  });

  it('survives cycles', () => {
    const loop: Record<string, unknown> = { name: 'a' };
    loop.self = loop;
    expect(redactSecrets(loop)).toEqual({ name: 'a', self: '[circular]' });
  });
});
