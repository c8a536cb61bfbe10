import { describe, expect, it } from 'vitest';
import { REDACTED, isSecretKey, redactSecrets, redactText } from '../../../lib/core/redact.ts';

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

  it('masks every value of an env mapping', () => {
    expect(redactSecrets({ env: { SITE: 'london', EMPTY: '' }, name: 'hook' })).toEqual({ env: { SITE: REDACTED, EMPTY: '' }, name: 'hook' });
  });
});

describe('redactText', () => {
  it.each([
    ['curl https://bob:pw1@host/x', 'curl https://bob:[redacted]@host/x'],
    ['GET /x?api_key=abc123&user=bob', 'GET /x?api_key=[redacted]&user=bob'],
    ['tool --token abc123 --out file', 'tool --token [redacted] --out file'],
    ['tool --password=abc123 -v', 'tool --password=[redacted] -v'],
    ['FTRACK_API_KEY=abc123 python3 x.py', 'FTRACK_API_KEY=[redacted] python3 x.py'],
    ['-H "Authorization: Bearer eyJhbGciOi.x.y"', '-H "Authorization: [redacted] [redacted]"'],
    ['apiKey: "abc123"', 'apiKey: "[redacted]"'],
  ])('%s', (input, expected) => {
    expect(redactText(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    for (const text of ['python3 /pipeline/hook.py ${PATH_JSON_INPUT}', 'The admin token is not valid', 'keyframes: 12', 'Basic cleanup']) {
      expect(redactText(text)).toBe(text);
    }
  });
});
