import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRest, tokenFor, type RestFixture } from './fixture.ts';

let f: RestFixture;
beforeAll(async () => {
  f = await startRest();
});
afterAll(() => f.close());

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));

describe('ShotGrid emulator REST: server info and tokens', () => {
  it('answers server info without a token on both prefixes, echoing the prefix', async () => {
    for (const prefix of ['/api/v1', '/api/v1.1']) {
      const response = await fetch(`${f.emulator.url}${prefix}`);
      const body = await response.json();
      expect(response.status).toBe(200);
      expect(body.data).toMatchObject({ api_version: prefix.endsWith('1.1') ? '1.1' : '1.0', shotgun_version: expect.stringMatching(/^v\d+\.\d+/) });
    }
    const viaNew = await fetch(`${f.emulator.url}/api/v1.1/entity/projects/1`, { headers: { authorization: `Bearer ${f.token}` } });
    expect((await viaNew.json()).links.self).toBe('/api/v1.1/entity/projects/1');
  });

  it('mints expiring HS256 JWT pairs for the script, a user (password) and a refresh', async () => {
    const script = await tokenFor(f.emulator.url, { grant_type: 'client_credentials', client_id: 'handoff', client_secret: 'test-key' });
    expect(script.body).toMatchObject({ token_type: 'Bearer', expires_in: 600, access_token: expect.any(String), refresh_token: expect.any(String) });
    const payload = claims(script.body.access_token);
    expect(payload.user).toEqual({ type: 'ApiUser', id: expect.any(Number) });
    expect(payload.exp - payload.iat).toBe(600);
    expect(JSON.parse(Buffer.from(script.body.access_token.split('.')[0], 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });

    const user = await tokenFor(f.emulator.url, { grant_type: 'password', username: 'cora@acmevfx.example', password: 'pw' });
    expect(claims(user.body.access_token).user).toMatchObject({ type: 'HumanUser' });

    for (const grant of ['refresh_token', 'refresh']) {
      const refreshed = await tokenFor(f.emulator.url, { grant_type: grant, refresh_token: script.body.refresh_token });
      expect(refreshed.status).toBe(200);
      expect(claims(refreshed.body.access_token).user).toEqual(payload.user);
    }
  });

  it('refuses bad credentials with 400/401 in the error envelope', async () => {
    const badScript = await tokenFor(f.emulator.url, { grant_type: 'client_credentials', client_id: 'handoff', client_secret: 'nope' });
    expect(badScript.status).toBe(400);
    expect(badScript.body.errors[0]).toMatchObject({ status: 400, code: 102, title: "Can't authenticate script 'handoff'", id: expect.any(String) });
    expect(Object.keys(badScript.body.errors[0]).sort()).toEqual(['code', 'detail', 'id', 'meta', 'source', 'status', 'title']);
    const badUser = await tokenFor(f.emulator.url, { grant_type: 'password', username: 'cora@acmevfx.example', password: 'x' });
    expect(badUser.body.errors[0]).toMatchObject({ status: 400, code: 102 });
    const grant = await tokenFor(f.emulator.url, { grant_type: 'magic' });
    expect(grant.body.errors[0]).toMatchObject({ status: 400, title: 'Unsupported grant_type' });
    const refresh = await tokenFor(f.emulator.url, { grant_type: 'refresh_token', refresh_token: 'a.b.c' });
    expect(refresh.status).toBe(401);
    const json = await fetch(`${f.emulator.url}/api/v1/auth/access_token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(json.status).toBe(415);
  });

  it('reads query-string grants too, and sudo_as_login scopes the token to an active user', async () => {
    const response = await fetch(`${f.emulator.url}/api/v1/auth/access_token?grant_type=client_credentials&client_id=handoff&client_secret=test-key&scope=sudo_as_login:emma@compersinc.example`, { method: 'POST' });
    const body = await response.json();
    expect(claims(body.access_token).sudo_as_login).toBe('emma@compersinc.example');
    const unknown = await tokenFor(f.emulator.url, { grant_type: 'client_credentials', client_id: 'handoff', client_secret: 'test-key', scope: 'sudo_as_login:nobody' });
    expect(unknown.body.errors[0]).toMatchObject({ status: 400, code: 102, title: "Cannot 'sudo' - unknown or retired user: 'nobody'" });
  });

  it('answers 401 Token invalid / Token Expired for bad and expired bearer tokens', async () => {
    const none = await fetch(`${f.emulator.url}/api/v1/entity/projects`);
    expect(none.status).toBe(401);
    expect((await none.json()).errors[0]).toMatchObject({ status: 401, code: 102, title: 'Unauthorized', detail: 'Token invalid' });
    const forged = await fetch(`${f.emulator.url}/api/v1/entity/projects`, { headers: { authorization: `Bearer ${f.token.slice(0, -2)}xx` } });
    expect((await forged.json()).errors[0].detail).toBe('Token invalid');

    const shortLived = await startRest({ tokenTtlSeconds: 0 });
    try {
      const expired = await shortLived.call('GET', '/entity/projects');
      expect(expired.status).toBe(401);
      expect(expired.body.errors[0].detail).toBe('Token Expired');
    } finally {
      await shortLived.close();
    }
  });
});
