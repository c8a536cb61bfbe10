import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAgentRequest, verifyAgentRequest } from '../../../lib/server/index.ts';
import { enrolAgent, type AgentCredentials } from '../../../lib/transfer/wire/index.ts';
import { startServer, type ServerFixture } from './fixture.ts';

let f: ServerFixture;
let agent: AgentCredentials;
let other: AgentCredentials;

beforeAll(async () => {
  f = await startServer();
  agent = await enrolAgent({ hqUrl: f.server.wireUrl!, code: await f.server.createEnrolmentCode('CompersInc') });
  other = await enrolAgent({ hqUrl: f.server.wireUrl!, code: await f.server.createEnrolmentCode('OtherVendor') });
});
afterAll(async () => f.cleanup());

async function signedCall(credentials: AgentCredentials, route: string, body: unknown, tamper?: (headers: Record<string, string>) => void) {
  const text = JSON.stringify(body);
  const headers = { ...signAgentRequest(credentials, { method: 'POST', path: route, body: text }), 'content-type': 'application/json' };
  tamper?.(headers);
  const response = await fetch(`${f.server.url}${route}`, { method: 'POST', headers, body: tamper ? `${text} ` : text });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; details?: { reason?: string } } } };
}

describe('agent credentials over HTTP', () => {
  it('lets an enrolled agent reach the vendor endpoints as its own vendor', async () => {
    // Authenticated and authorised: the answer is about the missing tracker, not about who is calling.
    const answer = await signedCall(agent, '/api/vendor/prepublish', { user: 'emma', files: [] });
    expect(answer.body.error?.code).toBe('SERVER_TRACKER_OFF');
  });

  it('keeps agents out of the admin endpoints', async () => {
    const headers = signAgentRequest(agent, { method: 'GET', path: '/api/jobs' });
    const response = await fetch(`${f.server.url}/api/jobs`, { headers });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('SERVER_FORBIDDEN');
  });

  it('refuses a changed body, a borrowed vendor name and a revoked key', async () => {
    const changed = await signedCall(agent, '/api/vendor/prepublish', { user: 'emma', files: [] }, () => undefined);
    expect(changed).toMatchObject({ status: 401, body: { error: { code: 'SERVER_AGENT_SIGNATURE_INVALID', details: { reason: 'the signature does not match the request' } } } });
    const posing = await signedCall({ ...other, vendor: 'CompersInc' }, '/api/vendor/prepublish', { user: 'emma', files: [] });
    expect(posing.body.error?.details?.reason).toBe('the certificate belongs to another vendor');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-agent-'));
    try {
      // Enrolling again replaces the pin, so the first key stops working.
      await enrolAgent({ hqUrl: f.server.wireUrl!, code: await f.server.createEnrolmentCode('OtherVendor'), dir });
      const revoked = await signedCall(other, '/api/vendor/prepublish', { user: 'emma', files: [] });
      expect(revoked.body.error?.details?.reason).toBe('the certificate is not (or no longer) enrolled');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses requests signed too far from HQ time', async () => {
    const signedAt = Date.now() - 10 * 60_000;
    const headers = signAgentRequest(agent, { method: 'GET', path: '/api/session' }, signedAt);
    const check = verifyAgentRequest(
      { method: 'GET', path: '/api/session', authorization: headers.authorization!, certificate: headers['x-handoff-agent-cert'], body: undefined },
      agent.caCert,
      async () => true,
    );
    await expect(check).rejects.toMatchObject({ code: 'SERVER_AGENT_TIME_INVALID', details: { reason: 'too old' } });
    const fresh = signAgentRequest(agent, { method: 'GET', path: '/api/session' });
    const vendor = await verifyAgentRequest(
      { method: 'GET', path: '/api/session', authorization: fresh.authorization!, certificate: fresh['x-handoff-agent-cert'], body: undefined },
      agent.caCert,
      async () => true,
    );
    expect(vendor).toBe('CompersInc');
  });
});
