import { error as ftrackErrors } from '@ftrack/api';
import { describe, expect, it } from 'vitest';
import type { HandoffError } from '../../../../lib/core/errors.ts';
import { fromFtrackError } from '../../../../lib/tracker/ftrack/errors.ts';
import { checkFtrackOptions, createFtrackTracker, ftrackExpression } from '../../../../lib/tracker/ftrack/index.ts';

describe('ftrack tracker options', () => {
  it('names every missing or malformed option at once', () => {
    try {
      createFtrackTracker({ serverUrl: 'ftp://x', user: '', apiKey: undefined as unknown as string });
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'FTRACK_OPTIONS_INVALID' });
      const problems = (err as HandoffError).details['problems'] as string[];
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['apiKey', 'serverUrl', 'user']);
    }
  });

  it('fills defaults, strips a trailing slash and lets attribute keys be replaced', () => {
    const options = checkFtrackOptions({ serverUrl: 'http://127.0.0.1:8080/', user: 'u', apiKey: 'k', attributeKeys: { fps: ['frame_rate'] } });
    expect(options.serverUrl).toBe('http://127.0.0.1:8080');
    expect(options).toMatchObject({ retries: 4, pageSize: 500, defaultAssetType: 'upload' });
    expect(options.keys.fps).toEqual(['frame_rate']);
    expect(options.keys.frameStart).toContain('fstart');
  });
});

describe('ftrack expressions', () => {
  it('quotes every value and escapes quotes and backslashes', () => {
    const name = 'say "hi" \\ it\'s';
    expect(ftrackExpression`select id from Task where name is ${name} and id is ${'a'}`).toBe(
      'select id from Task where name is "say \\"hi\\" \\\\ it\\\'s" and id is "a"',
    );
  });
});

describe('ftrack client errors at the boundary', () => {
  const url = 'http://127.0.0.1:1';
  it('turns an HTML error page into a retryable FTRACK_UNAVAILABLE', () => {
    const err = fromFtrackError(new SyntaxError("Unexpected token '<'"), url, 'query');
    expect(err).toMatchObject({ code: 'FTRACK_UNAVAILABLE', retryable: true });
  });
  it('turns bad credentials into FTRACK_AUTH_FAILED', () => {
    const err = fromFtrackError(new ftrackErrors.ServerError('The supplied API key is not valid.', 'api_credentials_invalid'), url, 'init');
    expect(err).toMatchObject({ code: 'FTRACK_AUTH_FAILED', retryable: false });
  });
  it('turns a failed fetch into FTRACK_UNAVAILABLE and a bad query into FTRACK_QUERY_FAILED', () => {
    expect(fromFtrackError(new ftrackErrors.ServerError('TypeError: fetch failed'), url, 'query')).toMatchObject({ code: 'FTRACK_UNAVAILABLE' });
    expect(fromFtrackError(new ftrackErrors.ServerValidationError('bad query'), url, 'query')).toMatchObject({ code: 'FTRACK_QUERY_FAILED', retryable: false });
    expect(fromFtrackError(new ftrackErrors.ServerError('Entity Task has no attribute x'), url, 'write')).toMatchObject({ code: 'FTRACK_REQUEST_FAILED' });
  });
});
