import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defineHook } from '../../../lib/hooks/index.ts';
import { dialableWireUrl } from '../../../lib/server/api/vendors.ts';
import { createHqServer } from '../../../lib/server/index.ts';
import type { Job, Task } from '../../../lib/transfer/types.ts';
import { waitForJobEnd } from '../../support/transfer-wait.ts';
import { ADMIN, startServer, writeBytes, type ServerFixture } from './fixture.ts';

const fixtures: ServerFixture[] = [];
afterEach(async () => {
  for (const f of fixtures.splice(0)) await f.cleanup();
});
async function start(...args: Parameters<typeof startServer>): Promise<ServerFixture> {
  const f = await startServer(...args);
  fixtures.push(f);
  return f;
}

const delivery = { source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' } } as const;

describe('createHqServer', () => {
  it('refuses API calls without a valid admin token and says how to authenticate', async () => {
    const f = await start();
    const missing = await f.api<{ error: { code: string; hint: string } }>('/api/jobs', { token: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('SERVER_UNAUTHORIZED');
    expect(missing.body.error.hint).toMatch(/Authorization: Bearer/);
    expect((await f.api('/api/jobs', { token: 'wrong-token-wrong-token' })).status).toBe(401);
    expect((await f.api('/api/transfer/jobs', { token: 'wrong-token-wrong-token' })).status).toBe(401);
    expect(await f.api('/api/jobs')).toEqual({ status: 200, body: { jobs: [] } });
    expect((await f.api<{ caller: unknown }>('/api/session')).body.caller).toEqual({ kind: 'admin' });
  });

  it('answers health and readiness without a token', async () => {
    const f = await start();
    expect((await fetch(`${f.server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${f.server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, checks: { database: { ok: true }, listener: { ok: true }, tracker: { ok: true } } });
  });

  it('reports not ready when the tracker does not answer', async () => {
    const failing = { name: 'broken', listStatuses: () => Promise.reject(new Error('tracker down')) } as never;
    const f = await start({ tracker: failing });
    const ready = await fetch(`${f.server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, checks: { tracker: { ok: false, detail: 'tracker down' } } });
  });

  it('invites a vendor with an agents\' address it can dial, also when the listener is bound to every interface', async () => {
    const f = await start({ listen: { host: '0.0.0.0', port: 0 } });
    expect(f.server.wireUrl).toMatch(/^handoff:\/\/0\.0\.0\.0:\d+$/);
    const invite = await f.api<{ vendor: string; code: string; hq: string; server: string }>('/api/vendors/CompersInc/invite', { body: {} });
    expect(invite.body).toMatchObject({ vendor: 'CompersInc', code: expect.stringMatching(/^hoff1\./), server: f.server.url });
    expect(invite.body.hq).toBe(f.server.wireUrl!.replace('0.0.0.0', '127.0.0.1'));
    expect(dialableWireUrl('handoff://[::]:8731', 'https://hq.acmevfx.example')).toBe('handoff://hq.acmevfx.example:8731');
    expect(dialableWireUrl('handoff://10.0.0.5:8731', 'https://hq.acmevfx.example')).toBe('handoff://10.0.0.5:8731');
    const bad = await f.api<{ error: { code: string } }>('/api/vendors/not%20a%20code/invite', { body: {} });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'SERVER_REQUEST_INVALID' } } });
  });

  it('invites with the public addresses of the config when they are set', async () => {
    const f = await start({ listen: { host: '0.0.0.0', port: 0 }, publicUrl: 'https://hq.acmevfx.example', publicWireUrl: 'handoff://hq.acmevfx.example:9731' });
    const invite = await f.api<{ hq: string; server: string }>('/api/vendors/CompersInc/invite', { body: {} });
    expect(invite.body).toMatchObject({ hq: 'handoff://hq.acmevfx.example:9731', server: 'https://hq.acmevfx.example' });
  });

  it('fails by name on bad options', async () => {
    await expect(createHqServer({ dataDir: '', adminTokens: ['short'] })).rejects.toMatchObject({
      code: 'SERVER_OPTIONS_INVALID',
      details: { problems: [expect.stringMatching(/^dataDir/), expect.stringMatching(/^adminTokens/)] },
    });
  });

  it('delivers a job, shows it with its tasks, and records the post-done hook result', async () => {
    const seen: string[] = [];
    const hook = defineHook({ on: 'job.post-done', name: 'note-done', handler: (job) => void seen.push(job.name) });
    const f = await start({ hooks: [hook], hookFolders: [] });
    await writeBytes(f.hqRoot, 'scd/plates/a.exr', 10_000);
    const job = await f.server.transfer.ensureJob({ name: 'Delivery one', ...delivery, tasks: [{ source: 'scd/plates/a.exr' }] });
    expect((await waitForJobEnd(f.server.transfer, job.id)).status).toBe('done');
    expect((await readFile(path.join(f.vendorRoot, 'scd/plates/a.exr'))).length).toBe(10_000);

    const hookSeen = await waitFor(async () => (await f.api<{ hooks: unknown[] }>(`/api/hooks?jobId=${job.id}`)).body.hooks.length > 0);
    expect(hookSeen).toBe(true);
    const detail = await f.api<{ job: Job; tasks: Task[]; hooks: { hook: string; ok: boolean }[] }>(`/api/jobs/${job.id}`);
    expect(detail.body.job.status).toBe('done');
    expect(detail.body.tasks.map((t) => [t.source, t.status])).toEqual([['scd/plates/a.exr', 'done']]);
    expect(detail.body.hooks).toEqual([expect.objectContaining({ hook: 'note-done', ok: true })]);
    expect(seen).toEqual(['Delivery one']);

    const log = await f.api<{ events: { type: string; message: string }[] }>(`/api/events?jobId=${job.id}`);
    expect(log.body.events.map((e) => e.type)).toEqual(expect.arrayContaining(['job.created', 'job.status', 'hook.result']));
    expect((await f.api<{ jobs: Job[] }>('/api/jobs?status=done')).body.jobs.map((j) => j.id)).toEqual([job.id]);
    expect((await f.api<{ jobs: Job[] }>('/api/jobs?status=running')).body.jobs).toEqual([]);
  });

  it('runs the built-in hooks on a plain delivery without recording a failure', async () => {
    const f = await start();
    await writeBytes(f.hqRoot, 'scd/ref.jpg', 100);
    const job = await f.server.transfer.ensureJob({ name: 'Plain', ...delivery, tasks: [{ source: 'scd/ref.jpg' }] });
    await waitForJobEnd(f.server.transfer, job.id);
    expect(await waitFor(async () => (await f.api<{ hooks: unknown[] }>(`/api/hooks?jobId=${job.id}`)).body.hooks.length > 0)).toBe(true);
    const { hooks } = (await f.api<{ hooks: { hook: string; ok: boolean }[] }>(`/api/hooks?jobId=${job.id}`)).body;
    expect(hooks).toEqual([expect.objectContaining({ hook: 'vendor-publish', ok: true })]);
    expect((await f.api<{ publishes: unknown[] }>('/api/publishes')).body.publishes).toEqual([]);
  });

  it('records the versions a post-done hook published, with the folders\' pre-publish verdicts', async () => {
    const publisher = defineHook({
      on: 'job.post-done',
      name: 'publisher',
      handler: (job) => ({
        kind: 'published',
        jobId: job.id,
        folders: [
          { folder: 'scd_0010_0010_cleanup_v001', ok: true, version: 1, versionId: 'v-1', destination: 'scd/0010/0010/publish/cleanup/scd_0010_0010_cleanup_v001', errors: [] },
          { folder: 'scd_0010_0020_roto_v002', ok: false, errors: ['the tracker refused the version'] },
        ],
      }),
    });
    const f = await start({ hooks: [publisher], hookFolders: [] });
    await writeBytes(f.vendorRoot, 'drop/scd_0010_0010_cleanup_v001/a.exr', 100);
    const share = await f.api<{ share: { root: string } }>('/api/shares/CompersInc', { method: 'PUT', body: { root: '_VENDORS/CompersInc' } });
    expect(share.body.share.root).toBe('_VENDORS/CompersInc');
    const verdicts = [
      { filename: 'scd_0010_0010_cleanup_v001', verdict: 'can_publish' },
      { filename: 'scd_0010_0020_roto_v002', verdict: 'warning' },
    ];
    const job = await f.server.transfer.ensureJob({
      name: 'Publish - CompersInc - scd_0010_0010_cleanup_v001',
      source: { kind: 'vendor', vendor: 'CompersInc' },
      destination: { kind: 'hq' },
      metadata: { handoff_publish: { kind: 'vendor-publish', folders: verdicts } },
      tasks: [{ source: 'drop/scd_0010_0010_cleanup_v001', destination: '_VENDORS/CompersInc/FROM_CLIENT/scd_0010_0010_cleanup_v001' }],
    });
    await waitForJobEnd(f.server.transfer, job.id);
    expect(await waitFor(async () => (await f.api<{ publishes: unknown[] }>('/api/publishes')).body.publishes.length === 2)).toBe(true);
    const { publishes } = (await f.api<{ publishes: Record<string, unknown>[] }>('/api/publishes')).body;
    expect(publishes).toEqual([
      expect.objectContaining({ folder: 'scd_0010_0020_roto_v002', ok: false, verdict: 'warning', errors: ['the tracker refused the version'], vendor: 'CompersInc' }),
      expect.objectContaining({ folder: 'scd_0010_0010_cleanup_v001', ok: true, version: 1, versionId: 'v-1', verdict: 'can_publish', jobId: job.id }),
    ]);
  });

  it('pauses, resumes, re-prioritises and retries through the API, with clear errors for bad input', async () => {
    const f = await start({ retry: { maxAttempts: 1 } });
    const job = await f.server.transfer.ensureJob({ name: 'Held', ...delivery, paused: true, tasks: [{ source: 'missing/file.exr' }] });
    expect((await f.api<{ job: Job }>(`/api/jobs/${job.id}/resume`, { body: {} })).body.job.status).not.toBe('paused');
    expect((await waitForJobEnd(f.server.transfer, job.id)).status).toBe('failed');
    const [failed] = (await f.api<{ tasks: Task[] }>(`/api/jobs/${job.id}/tasks`)).body.tasks;
    expect(failed).toMatchObject({ status: 'failed', lastError: { code: expect.any(String) } });

    const retried = await f.api<{ retried: Task[]; job: Job }>(`/api/jobs/${job.id}/retry`, { body: {} });
    expect(retried.body.retried.map((t) => t.id)).toEqual([failed!.id]);
    expect((await f.api<{ job: Job }>(`/api/jobs/${job.id}/pause`, { body: {} })).body.job.status).toBe('paused');
    const prioritised = await f.api<{ job: Job }>(`/api/jobs/${job.id}/priority`, { body: { priority: 900 } });
    expect(prioritised.body.job.priority).toBe(900);
    const bad = await f.api<{ error: { code: string } }>(`/api/jobs/${job.id}/priority`, { body: { priority: 'high' } });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'SERVER_REQUEST_INVALID' } } });
    expect((await f.api('/api/jobs/nope/pause', { body: {} })).status).toBe(404);
    expect((await f.api('/api/jobs?status=sleeping')).status).toBe(400);
    const log = await f.api<{ events: { type: string; level: string }[] }>(`/api/events?jobId=${job.id}`);
    expect(log.body.events).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'task.status', level: 'error' })]));
  });

  it('streams live job events to an authenticated reader', async () => {
    const f = await start();
    const response = await fetch(`${f.server.url}/api/stream`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const job = await f.server.transfer.ensureJob({ name: 'Streamed', ...delivery, paused: true });
    const decoder = new TextDecoder();
    let text = '';
    for (let reads = 0; reads < 50 && !text.includes(job.id); reads++) text += decoder.decode((await reader.read()).value);
    expect(text).toContain(`"kind":"job"`);
    expect(text).toContain(job.id);
    await reader.cancel();
  });

  it('closes gracefully, twice if asked, and stops answering', async () => {
    const f = await start();
    const url = f.server.url;
    await f.server.close();
    await f.server.close();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});

async function waitFor(check: () => Promise<boolean>, tries = 200): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return false;
}
