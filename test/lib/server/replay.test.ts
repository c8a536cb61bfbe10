/**
 * Signed agent requests against a real HQ server: a replayed publish is
 * refused and starts no second upload (also after a restart), a request dated
 * in the future is refused, and a publish repeated with its Idempotency-Key
 * answers the first job.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHqClient } from '../../../lib/agent/index.ts';
import { loadConfig, shippedDefaultConfig, type HandoffConfig } from '../../../lib/core/config/index.ts';
import { createLogger } from '../../../lib/core/log.ts';
import { createHqServer, signAgentRequest } from '../../../lib/server/index.ts';
import { createMemoryTracker, loadStudioSeed, type Tracker } from '../../../lib/tracker/index.ts';
import { enrolAgent, type AgentCredentials } from '../../../lib/transfer/wire/index.ts';
import { ADMIN, startServer, type ServerFixture } from './fixture.ts';

let tracker: Tracker;
let config: HandoffConfig;
let f: ServerFixture;
let agent: AgentCredentials;

beforeAll(async () => {
  tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
  config = await loadConfig(shippedDefaultConfig, { env: { ...process.env, HANDOFF_TRACKER: 'memory' } });
  f = await startServer({ tracker, config });
  agent = await enrolAgent({ hqUrl: f.server.wireUrl!, code: await f.server.createEnrolmentCode('CompersInc') });
  // Uploads land in the vendor's share at HQ.
  expect((await f.api('/api/shares/CompersInc', { method: 'PUT', body: { root: '_VENDORS/CompersInc' } })).status).toBe(200);
});
afterAll(async () => {
  await f?.cleanup();
  await tracker?.close();
});

const ROUTE = '/api/vendor/publish';
const frames = Array.from({ length: 116 }, (_, i) => ({ filename: `scd_0010_0010_cleanup_v001.${993 + i}.exr`, is_dir: false, size: 1000 }));
const publishBody = (comment: string) => ({
  user: 'emma@compersinc.example',
  files: [{ id: 'a', filename: 'scd_0010_0010_cleanup_v001', is_dir: true, size: 0, files: frames }],
  fields: { comment, timeSpent: 3600, status: 'Pending review' },
  root: '',
});

async function post(url: string, headers: Record<string, string>, text: string) {
  const response = await fetch(`${url}${ROUTE}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: text });
  return { status: response.status, headers: response.headers, body: (await response.json()) as { job?: { id: string }; error?: { code: string; details?: Record<string, unknown> } } };
}

const uploadJobs = async (url = f.server.url) => {
  const response = await fetch(`${url}/api/jobs?vendor=CompersInc`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return ((await response.json()) as { jobs: { id: string; source: { kind: string } }[] }).jobs.filter((job) => job.source.kind === 'vendor');
};

/** Ends an upload job as a landed one would, so a name-sake job could start again. */
async function settle(jobId: string): Promise<void> {
  const tasks = await f.server.transfer.listTasks(jobId);
  await f.server.transfer.exclude(jobId, tasks.map((task) => task.id));
  const job = await f.server.transfer.getJob(jobId);
  expect(job?.status, JSON.stringify(job)).toMatch(/^(done|aborted)$/);
}

describe('signed agent requests', () => {
  it('refuses a replayed publish and starts no second upload', async () => {
    const before = (await uploadJobs()).length;
    const text = JSON.stringify(publishBody('replay me'));
    const headers = signAgentRequest(agent, { method: 'POST', path: ROUTE, body: text });
    const first = await post(f.server.url, headers, text);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body.job?.id).toEqual(expect.any(String));
    await settle(first.body.job!.id);

    const replay = await post(f.server.url, headers, text);
    expect(replay).toMatchObject({ status: 401, body: { error: { code: 'SERVER_AGENT_REPLAYED' } } });
    expect((await uploadJobs()).length).toBe(before + 1);
  });

  it('refuses a request dated beyond 30 s ahead of HQ, and accepts a small skew', async () => {
    const before = (await uploadJobs()).length;
    const text = JSON.stringify(publishBody('from the future'));
    const ahead = await post(f.server.url, signAgentRequest(agent, { method: 'POST', path: ROUTE, body: text }, Date.now() + 90_000), text);
    expect(ahead).toMatchObject({ status: 401, body: { error: { code: 'SERVER_AGENT_TIME_INVALID', details: { reason: 'in the future' } } } });
    expect((await uploadJobs()).length).toBe(before);

    const slightly = signAgentRequest(agent, { method: 'GET', path: '/api/session' }, Date.now() + 10_000);
    const session = await fetch(`${f.server.url}/api/session`, { headers: slightly });
    expect(await session.json()).toEqual({ caller: { kind: 'agent', vendor: 'CompersInc' } });
  });

  it('answers a publish repeated with its Idempotency-Key with the same job, and refuses the key for another body', async () => {
    const before = (await uploadJobs()).length;
    const client = createHqClient(f.server.url, { kind: 'agent', credentials: agent });
    const key = 'publish-7f3c2a9e-0d4b-4e61';
    const first = await client.post<{ job: { id: string } }>(ROUTE, publishBody('once'), { idempotencyKey: key });
    await settle(first.job.id);
    const again = await client.post<{ job: { id: string } }>(ROUTE, publishBody('once'), { idempotencyKey: key });
    expect(again.job.id).toBe(first.job.id);
    expect((await uploadJobs()).length).toBe(before + 1);

    // The repeat is a new signed request (fresh nonce) and is marked as an earlier answer.
    const text = JSON.stringify(publishBody('once'));
    const marked = await post(f.server.url, signAgentRequest(agent, { method: 'POST', path: ROUTE, idempotencyKey: key, body: text }), text);
    expect(marked.headers.get('idempotent-replayed')).toBe('true');
    expect(marked.body.job?.id).toBe(first.job.id);

    await expect(client.post(ROUTE, publishBody('something else'), { idempotencyKey: key })).rejects.toMatchObject({ code: 'SERVER_IDEMPOTENCY_CONFLICT' });
    expect((await uploadJobs()).length).toBe(before + 1);
  });

  it('still refuses a replay after HQ restarts', async () => {
    const text = JSON.stringify(publishBody('before the restart'));
    const headers = signAgentRequest(agent, { method: 'POST', path: ROUTE, body: text });
    const first = await post(f.server.url, headers, text);
    expect(first.status).toBe(200);
    await settle(first.body.job!.id);
    await f.server.close();
    const again = await createHqServer({
      dataDir: path.join(f.dir, 'data'),
      volumes: { proj: f.hqRoot },
      adminTokens: [ADMIN],
      tracker,
      config,
      logger: createLogger('server', { level: 'silent' }),
    });
    try {
      const before = (await uploadJobs(again.url)).length;
      expect(await post(again.url, headers, text)).toMatchObject({ status: 401, body: { error: { code: 'SERVER_AGENT_REPLAYED' } } });
      expect((await uploadJobs(again.url)).length).toBe(before);
    } finally {
      await again.close();
    }
  });
});
