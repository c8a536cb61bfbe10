/** The ShotGrid client's pure parts: token renewal timing, timestamps, filter forms, records. */
import { describe, expect, it } from 'vitest';
import { createTokenManager, formatDate, formatTimestamp, jwtExpiry, parseTimestamp, retryAfterMs, searchFilters } from '../../../../lib/tracker/shotgrid/client/index.ts';
import type { TokenManager } from '../../../../lib/tracker/shotgrid/client/index.ts';
import { fakeJwt } from './fake-site.ts';

describe('token manager', () => {
  function setup(fail: (form: Record<string, string>) => boolean = () => false): { tokens: TokenManager; forms: Record<string, string>[]; clock: { now: number } } {
    const clock = { now: Date.now() };
    const forms: Record<string, string>[] = [];
    const tokens = createTokenManager({
      credentials: { kind: 'script', scriptName: 's', scriptKey: 'k' },
      now: () => clock.now,
      request: async (form) => {
        forms.push(form);
        if (fail(form)) throw Object.assign(new Error('refused'), { code: 'SHOTGRID_AUTH_FAILED' });
        return { access_token: fakeJwt({ n: forms.length }, 600), refresh_token: `r${forms.length}`, expires_in: 600 };
      },
    });
    return { tokens, forms, clock };
  }

  it('reuses a token until 90 s before its JWT exp, then refreshes once for all waiting callers', async () => {
    const { tokens, forms, clock } = setup();
    const first = await tokens.token();
    clock.now += 500_000;
    expect(await tokens.token()).toBe(first);
    clock.now += 15_000; // 85 s left
    const renewed = await Promise.all([tokens.token(), tokens.token(), tokens.token()]);
    expect(new Set(renewed).size).toBe(1);
    expect(renewed[0]).not.toBe(first);
    expect(forms.map((f) => f['grant_type'])).toEqual(['client_credentials', 'refresh_token']);
    expect(forms[1]?.['refresh_token']).toBe('r1');
  });

  it('signs in again with the credentials when the refresh token is refused', async () => {
    const { tokens, forms } = setup((form) => form['grant_type'] === 'refresh_token');
    const first = await tokens.token();
    tokens.invalidate(first);
    expect(await tokens.token()).not.toBe(first);
    expect(forms.map((f) => f['grant_type'])).toEqual(['client_credentials', 'refresh_token', 'client_credentials']);
  });

  it('keeps a newer token when an older one is reported as refused', async () => {
    const { tokens, forms } = setup();
    const first = await tokens.token();
    tokens.invalidate(first);
    const second = await tokens.token();
    tokens.invalidate(first);
    expect(await tokens.token()).toBe(second);
    expect(forms).toHaveLength(2);
  });

  it('reads exp from a JWT and nothing from other strings', () => {
    expect(jwtExpiry(fakeJwt({}, 10))).toBeGreaterThan(Date.now() / 1000);
    expect(jwtExpiry('opaque')).toBeUndefined();
    expect(jwtExpiry('a.not-json.c')).toBeUndefined();
  });
});

describe('timestamps', () => {
  it('parses the read, create-response and event spellings as UTC', () => {
    const at = Date.UTC(2026, 8, 4, 3, 51, 48);
    expect(parseTimestamp('2026-09-04T03:51:48Z')?.getTime()).toBe(at);
    expect(parseTimestamp('2026-09-04 03:51:48 UTC')?.getTime()).toBe(at);
    expect(parseTimestamp('2026-09-04 03:51:48.523887')?.getTime()).toBe(at + 523);
    expect(parseTimestamp('2026-09-04T05:51:48+02:00')?.getTime()).toBe(at);
    expect(parseTimestamp('yesterday')).toBeUndefined();
    expect(parseTimestamp(null)).toBeUndefined();
  });

  it('writes UTC ISO without sub-seconds, and dates as days', () => {
    const d = new Date('2026-03-04T23:30:00.999Z');
    expect(formatTimestamp(d)).toBe('2026-03-04T23:30:00Z');
    expect(formatDate(d)).toBe('2026-03-04');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});

describe('filters', () => {
  it('translates python-style groups and flat between conditions', () => {
    const out = searchFilters({ filter_operator: 'any', filters: [['id', 'between', 1, 5], { filter_operator: 'all', filters: [['code', 'is', 'a']] }] });
    expect(out.filters).toEqual({ logical_operator: 'or', conditions: [['id', 'between', [1, 5]], { logical_operator: 'and', conditions: [['code', 'is', 'a']] }] });
    expect(out.contentType).toBe('application/vnd+shotgun.api3_hash+json');
  });

  it('refuses malformed conditions and groups', () => {
    expect(() => searchFilters([['code', 'is'] as unknown as [string, string, unknown]])).toThrow(/\[field, operator, value\]/);
    expect(() => searchFilters({ logical_operator: 'xor' as 'and', conditions: [] })).toThrow(/logical_operator/);
  });
});

describe('records', () => {
  it('sends multi-entity update modes with bare links, and flattens relationships beside attributes', async () => {
    const { addTo, flatten, removeFrom, toWire } = await import('../../../../lib/tracker/shotgrid/client/index.ts');
    expect(toWire({ users: addTo({ type: 'HumanUser', id: 3, name: 'Emma' }), tasks: removeFrom({ type: 'Task', id: 9 }), sg_x: null })).toEqual({
      users: { multi_entity_update_mode: 'add', value: [{ type: 'HumanUser', id: 3 }] },
      tasks: { multi_entity_update_mode: 'remove', value: [{ type: 'Task', id: 9 }] },
      sg_x: null,
    });
    expect(flatten({ type: 'Task', id: 4, attributes: { content: 'roto', 'entity.Shot.code': 'sh1' }, relationships: { step: { data: null }, task_assignees: { data: [] } } })).toEqual({
      type: 'Task', id: 4, content: 'roto', 'entity.Shot.code': 'sh1', step: null, task_assignees: [],
    });
  });
});
