/** The ShotGrid client's HTTP behaviour against a real loopback server: tokens, retries, content types, paging. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createShotgridClient, or } from '../../../../lib/tracker/shotgrid/client/index.ts';
import type { ShotgridClient } from '../../../../lib/tracker/shotgrid/client/index.ts';
import { fakeJwt, sgError, startFakeSite } from './fake-site.ts';
import type { FakeSite, Reply, SeenRequest } from './fake-site.ts';

let site: FakeSite;
let client: ShotgridClient;
let issued: string[];

/** Answers the token endpoint with fresh JWTs; everything else goes to `rest`. */
function withTokens(rest: (req: SeenRequest) => Reply | Promise<Reply>) {
  return (req: SeenRequest): Reply | Promise<Reply> => {
    if (req.url.pathname === '/api/v1/auth/access_token') {
      const token = fakeJwt({ n: issued.length });
      issued.push(token);
      return { json: { token_type: 'Bearer', access_token: token, refresh_token: `r${issued.length}`, expires_in: 600 } };
    }
    return rest(req);
  };
}

const apiCalls = (): SeenRequest[] => site.seen.filter((r) => r.url.pathname !== '/api/v1/auth/access_token');
const row = (id: number) => ({ type: 'Shot', id, attributes: { code: `sh${id}` }, relationships: {}, links: { self: `/api/v1/entity/shots/${id}` } });

beforeEach(async () => {
  issued = [];
  site = await startFakeSite();
  client = createShotgridClient({ siteUrl: site.url, credentials: { kind: 'script', scriptName: 'handoff', scriptKey: 'k3y' }, retryDelayMs: 1 });
});
afterEach(async () => {
  await site.close();
});

describe('tokens', () => {
  it('signs in with form-encoded client credentials once for concurrent calls and sends the Bearer token', async () => {
    site.handle(withTokens(() => ({ json: { data: row(1) } })));
    await Promise.all([1, 2, 3, 4].map(() => client.read('Shot', 1)));
    const auth = site.seen.filter((r) => r.url.pathname.endsWith('/auth/access_token'));
    expect(auth).toHaveLength(1);
    expect(auth[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(auth[0]!.body.toString()))).toEqual({ grant_type: 'client_credentials', client_id: 'handoff', client_secret: 'k3y' });
    expect(apiCalls().map((r) => r.headers['authorization'])).toEqual(Array(4).fill(`Bearer ${issued[0]}`));
  });

  it('renews the token after a 401 and tries the call once more, refreshing with the refresh token', async () => {
    let rejected = 0;
    site.handle(
      withTokens((req) => {
        if (req.headers['authorization'] === `Bearer ${issued[0]}`) return (rejected++, sgError(401, 102, 'Token Expired'));
        return { json: { data: row(1) } };
      }),
    );
    expect(await client.read('Shot', 1)).toMatchObject({ id: 1, code: 'sh1' });
    expect(rejected).toBe(1);
    const grants = site.seen.filter((r) => r.url.pathname.endsWith('/auth/access_token')).map((r) => new URLSearchParams(r.body.toString()).get('grant_type'));
    expect(grants).toEqual(['client_credentials', 'refresh_token']);
  });

  it('gives up after one renewal when the new token is refused too', async () => {
    site.handle(withTokens(() => sgError(401, 102, 'Token invalid')));
    await expect(client.read('Shot', 1)).rejects.toMatchObject({ code: 'SHOTGRID_AUTH_FAILED' });
    expect(apiCalls()).toHaveLength(2);
  });

  it('reports refused credentials as SHOTGRID_AUTH_FAILED naming the script', async () => {
    site.handle(() => sgError(400, 102, "Can't authenticate script 'handoff'"));
    const err = await client.read('Shot', 1).catch((e: unknown) => e);
    expect(err, String((err as Error).message)).toMatchObject({ code: 'SHOTGRID_AUTH_FAILED', retryable: false });
    expect((err as Error).message).toContain('script handoff');
  });

  it('asks for a sudo_as_login scope when acting as a user', async () => {
    site.handle(withTokens(() => ({ json: { data: row(1) } })));
    await client.as('emma').read('Shot', 1);
    const form = new URLSearchParams(site.seen[0]!.body.toString());
    expect(form.get('scope')).toBe('sudo_as_login:emma');
  });
});

describe('retries', () => {
  it('waits Retry-After on 429 rather than its own backoff, then succeeds', async () => {
    const slow = createShotgridClient({ siteUrl: site.url, credentials: { kind: 'script', scriptName: 'a', scriptKey: 'b' }, retryDelayMs: 60_000 });
    let n = 0;
    site.handle(withTokens(() => (n++ === 0 ? { status: 429, headers: { 'retry-after': '0' }, text: 'slow down' } : { json: { data: row(2) } })));
    expect(await slow.read('Shot', 2)).toMatchObject({ id: 2 });
    expect(apiCalls()).toHaveLength(2);
  });

  it('retries reads on 502/503/504 up to the attempt limit, then fails retryable', async () => {
    site.handle(withTokens(() => ({ status: 503, text: '<html>maintenance</html>' })));
    const err = await client.findAll('Shot', []).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SHOTGRID_UNAVAILABLE', retryable: true });
    expect((err as Error).message).toContain('HTML error page');
    expect(apiCalls()).toHaveLength(4);
  });

  it('never repeats a create on 503, but does after a 429 (the request was not taken)', async () => {
    site.handle(withTokens(() => ({ status: 503, text: 'busy' })));
    await expect(client.create('Shot', { code: 'a' })).rejects.toMatchObject({ code: 'SHOTGRID_UNAVAILABLE', retryable: true });
    expect(apiCalls()).toHaveLength(1);
    let n = 0;
    site.handle(withTokens(() => (n++ === 0 ? { status: 429, headers: { 'retry-after': '0' } } : { status: 201, json: { data: row(9) } })));
    expect(await client.create('Shot', { code: 'a' })).toMatchObject({ id: 9 });
    expect(apiCalls().filter((r) => r.method === 'POST')).toHaveLength(3);
  });

  it('does not retry a 400 and quotes the error envelope', async () => {
    site.handle(withTokens(() => sgError(400, 103, "API read() Shot.sg_nope doesn't exist.")));
    const err = await client.findAll('Shot', [['sg_nope', 'is', 1]]).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SHOTGRID_REQUEST_FAILED', details: { status: 400, errors: [{ code: 103 }] } });
    expect((err as Error).message).toContain("Shot.sg_nope doesn't exist");
    expect(apiCalls()).toHaveLength(1);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    const bounded = createShotgridClient({ siteUrl: site.url, credentials: { kind: 'script', scriptName: 'a', scriptKey: 'b' }, concurrency: 2 });
    let active = 0;
    let most = 0;
    site.handle(
      withTokens(async () => {
        most = Math.max(most, ++active);
        await new Promise((resolve) => setTimeout(resolve, 10));
        active--;
        return { json: { data: row(1) } };
      }),
    );
    await Promise.all(Array.from({ length: 6 }, () => bounded.read('Shot', 1)));
    expect(most).toBe(2);
  });
});

describe('search', () => {
  it('sends a flat list as the array form and groups as the hash form, with their content types', async () => {
    site.handle(withTokens(() => ({ json: { data: [], links: { next: 'x' } } })));
    await client.findAll('Shot', [['code', 'is', 'a'], ['id', 'greater_than', 3]]);
    await client.findAll('Shot', [['code', 'is', 'a'], or(['id', 'is', 1], ['id', 'is', 2])]);
    const [array, hash] = apiCalls();
    expect(array?.headers['content-type']).toBe('application/vnd+shotgun.api3_array+json');
    expect(array?.json).toEqual({ filters: [['code', 'is', 'a'], ['id', 'greater_than', 3]] });
    expect(hash?.headers['content-type']).toBe('application/vnd+shotgun.api3_hash+json');
    expect(hash?.json).toEqual({
      filters: { logical_operator: 'and', conditions: [['code', 'is', 'a'], { logical_operator: 'or', conditions: [['id', 'is', 1], ['id', 'is', 2]] }] },
    });
    expect(array?.url.searchParams.get('sort')).toBe('id');
  });

  it('pages until a short page although links.next is always there', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => row(i + 1));
    site.handle(
      withTokens((req) => {
        const size = Number(req.url.searchParams.get('page[size]'));
        const number = Number(req.url.searchParams.get('page[number]'));
        return { json: { data: rows.slice((number - 1) * size, number * size), links: { next: 'more' } } };
      }),
    );
    expect((await client.findAll('Shot', [], { pageSize: 3 })).map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(apiCalls()).toHaveLength(3);
    rows.pop();
    expect(await client.findAll('Shot', [], { pageSize: 3 })).toHaveLength(6);
    expect(apiCalls()).toHaveLength(6);
    expect(await client.findAll('Shot', [], { pageSize: 3, limit: 4 })).toHaveLength(4);
    expect(apiCalls()).toHaveLength(8);
  });
});

describe('writes', () => {
  it('sends links as {type,id} and dates in UTC, and reads JSON:API records back flat', async () => {
    site.handle(
      withTokens(() => ({
        status: 201,
        json: {
          data: {
            type: 'Version', id: 5,
            attributes: { code: 'v1', created_at: '2026-09-04 03:51:48 UTC' },
            relationships: { entity: { data: { type: 'Shot', id: 2, name: 'sh2' } }, tasks: { data: [] } },
          },
        },
      })),
    );
    const created = await client.create('Version', { code: 'v1', entity: { type: 'Shot', id: 2, name: 'sh2' }, sg_date: new Date('2026-01-02T03:04:05.678Z'), skip: undefined });
    expect(apiCalls()[0]?.json).toEqual({ code: 'v1', entity: { type: 'Shot', id: 2 }, sg_date: '2026-01-02T03:04:05Z' });
    expect(apiCalls()[0]?.headers['content-type']).toBe('application/json');
    expect(created).toEqual({ type: 'Version', id: 5, code: 'v1', created_at: '2026-09-04 03:51:48 UTC', entity: { type: 'Shot', id: 2, name: 'sh2' }, tasks: [] });
  });

  it('batches with `requests` and `record_id`, and reads created, updated and deleted answers', async () => {
    site.handle(
      withTokens(() => ({
        json: { data: [{ data: row(10) }, { data: row(3) }, { request_type: 'delete', type: 'Shot', id: 4, did_delete: true }] },
      })),
    );
    const out = await client.batch([
      { request_type: 'create', entity: 'Shot', data: { code: 'sh10' } },
      { request_type: 'update', entity: 'Shot', record_id: 3, data: { code: 'sh3' } },
      { request_type: 'delete', entity: 'Shot', record_id: 4 },
    ]);
    expect(apiCalls()[0]?.json).toMatchObject({ requests: [{ request_type: 'create' }, { record_id: 3 }, { record_id: 4 }] });
    expect(out).toEqual([expect.objectContaining({ id: 10 }), expect.objectContaining({ id: 3 }), { type: 'Shot', id: 4, deleted: true }]);
  });

  it('revives with ?revive=true and reads did_revive; a read of a missing record is undefined', async () => {
    site.handle(withTokens((req) => (req.method === 'POST' ? { json: { data: { type: 'Shot', id: 4 }, meta: { did_revive: true } } } : sgError(404, 104, 'Not Found'))));
    expect(await client.revive('Shot', 4)).toBe(true);
    expect(apiCalls()[0]?.url.searchParams.get('revive')).toBe('true');
    expect(await client.read('Shot', 99)).toBeUndefined();
  });

  it('caches the schema and lists status codes without hidden ones', async () => {
    site.handle(
      withTokens(() => ({
        json: {
          data: {
            sg_status_list: {
              data_type: { value: 'status_list', editable: false },
              properties: {
                valid_values: { value: ['wtg', 'ip', 'omt', 'fin'] },
                hidden_values: { value: ['omt'] },
                display_values: { value: { wtg: 'Waiting', ip: 'In Progress', fin: 'Final' } },
              },
            },
          },
        },
      })),
    );
    expect(await client.schema.statuses('Task')).toEqual([
      { code: 'wtg', label: 'Waiting' },
      { code: 'ip', label: 'In Progress' },
      { code: 'fin', label: 'Final' },
    ]);
    await client.schema.fields('Task');
    expect(apiCalls()).toHaveLength(1);
  });
});
