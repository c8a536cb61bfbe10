/**
 * The ftrack tracker under failure, against the emulator: HTML error pages, failed session
 * starts, bad credentials, lost responses in the middle of a publish, large uploads in parts,
 * paging and quoting. Lost responses are made by wrapping `fetch` in this process only.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFtrackEmulator, type FtrackEmulator } from '../../../../lib/emulators/ftrack/index.ts';
import { createFtrackTracker, type FtrackTrackerOptions } from '../../../../lib/tracker/ftrack/index.ts';
import type { PublishRequest, Tracker } from '../../../../lib/tracker/types.ts';

type Rule = (body: string) => 'pass' | 'drop-request' | 'drop-response';
const realFetch = globalThis.fetch;
let rule: Rule = () => 'pass';
const sent: string[] = [];

let emulator: FtrackEmulator;
let dir: string;
const trackers: Tracker[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'handoff-ftrack-'));
  await writeFile(path.join(dir, 'thumb.png'), Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
  await writeFile(path.join(dir, 'review.mp4'), Buffer.alloc(4096, 7));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  emulator = await startFtrackEmulator({ seed: 'demo' });
  rule = () => 'pass';
  sent.length = 0;
  globalThis.fetch = async (input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (!url.endsWith('/api')) return realFetch(input, init);
    const body = typeof init?.body === 'string' ? init.body : '';
    sent.push(body);
    const decision = rule(body);
    if (decision === 'drop-request') throw new TypeError('fetch failed');
    const response = await realFetch(input, init);
    if (decision === 'drop-response') throw new TypeError('fetch failed');
    return response;
  };
});
afterEach(async () => {
  globalThis.fetch = realFetch;
  for (const t of trackers.splice(0)) await t.close();
  await emulator.close();
});

function trackerWith(options: Partial<FtrackTrackerOptions> = {}): Tracker {
  const t = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey, retryDelayMs: 5, ...options });
  trackers.push(t);
  return t;
}

/** Fails the first request whose body matches, once. */
function once(match: (body: string) => boolean, how: 'drop-request' | 'drop-response'): Rule {
  let done = false;
  return (body) => (!done && match(body) ? ((done = true), how) : 'pass');
}

async function api(expression: string): Promise<Record<string, unknown>[]> {
  const response = await realFetch(`${emulator.url}/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ftrack-user': emulator.user, 'ftrack-api-key': emulator.apiKey },
    body: JSON.stringify([{ action: 'query', expression }]),
  });
  return ((await response.json()) as [{ data: Record<string, unknown>[] }])[0].data;
}

async function download(componentId: string): Promise<Buffer> {
  const query = new URLSearchParams({ id: componentId, username: emulator.user, apiKey: emulator.apiKey });
  const response = await realFetch(`${emulator.url}/component/get?${query}`);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function publishRequest(t: Tracker, key: string, extra: Partial<PublishRequest> = {}): Promise<PublishRequest> {
  const context = await t.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
  return {
    taskId: context!.task.id,
    asset: 'scd_0010_0010_cleanup',
    idempotencyKey: key,
    components: [{ kind: 'file', name: 'main', path: '/vol/scd/publish/scd_0010_0010_cleanup_v001.nk' }],
    thumbnail: path.join(dir, 'thumb.png'),
    reviewable: { path: path.join(dir, 'review.mp4'), frameRate: 24, frameIn: 1001, frameOut: 1100, width: 1920, height: 1080 },
    ...extra,
  };
}

describe('ftrack tracker resilience', () => {
  it('retries reads through HTML error pages and makes a new session when the first one failed to start', async () => {
    emulator.faults.set({ failNext: 2, failWith: 'html' });
    expect(await trackerWith().listStatuses()).toHaveLength(8);

    const single = trackerWith({ retries: 1 });
    emulator.faults.set({ failNext: 1, failWith: 'html' });
    await expect(single.listStatuses()).rejects.toMatchObject({ code: 'FTRACK_UNAVAILABLE', retryable: true });
    expect(await single.listStatuses()).toHaveLength(8);
  });

  it('gives up after its retries', async () => {
    emulator.faults.set({ failNext: 10, failWith: 'json', status: 503 });
    await expect(trackerWith({ retries: 2 }).listStatuses()).rejects.toMatchObject({ code: 'FTRACK_UNAVAILABLE' });
  });

  it('refuses bad credentials once, without retrying', async () => {
    const t = trackerWith({ apiKey: 'wrong' });
    await expect(t.listStatuses()).rejects.toMatchObject({ code: 'FTRACK_AUTH_FAILED', retryable: false });
    expect(sent).toHaveLength(1);
  });

  it('never repeats a create whose answer was lost', async () => {
    const t = trackerWith();
    const context = await t.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    rule = once((b) => b.includes('only once'), 'drop-response');
    await expect(t.addNote({ kind: 'task', id: context!.task.id }, 'only once')).rejects.toMatchObject({ code: 'FTRACK_UNAVAILABLE' });
    expect(sent.filter((b) => b.includes('only once'))).toHaveLength(1);
    expect((await t.listNotes({ kind: 'task', id: context!.task.id })).filter((n) => n.content === 'only once')).toHaveLength(1);
  });

  it('publishes version, components, uploads, note, time log and status in three requests', async () => {
    const t = trackerWith();
    const request = await publishRequest(t, 'three', { comment: 'Done.', timeSpent: 3600, status: 'Pending review', version: 3 });
    sent.length = 0;
    expect(await t.publishVersion(request)).toMatchObject({ version: 3, created: true });
    expect(sent).toHaveLength(3);
  });

  it('finishes a publish whose create response was lost, creating one version', async () => {
    const t = trackerWith();
    const request = await publishRequest(t, 'lost-create');
    rule = once((b) => b.includes('"entity_type":"AssetVersion"') && b.includes('"action":"create"'), 'drop-response');
    const result = await t.publishVersion(request);
    expect(result).toMatchObject({ version: 1, created: true, components: [{ name: 'main', kind: 'file', path: request.components[0]!.path }] });
    expect(await t.listVersions(request.taskId)).toEqual([expect.objectContaining({ id: result.id, hasThumbnail: true, hasReviewable: true })]);
  });

  it('completes on a repeat what a failed publish left out, uploading only what is missing', async () => {
    const t = trackerWith();
    const request = await publishRequest(t, 'lost-finish');
    rule = once((b) => b.includes('handoff.publish-state') && b.includes('"action":"update"'), 'drop-request');
    await expect(t.publishVersion(request)).rejects.toMatchObject({ code: 'FTRACK_UNAVAILABLE' });
    const [half] = await t.listVersions(request.taskId);
    expect(half).toMatchObject({ hasThumbnail: false, hasReviewable: false });

    const again = await t.publishVersion(request);
    expect(again).toMatchObject({ id: half!.id, created: false });
    const [done] = await t.listVersions(request.taskId);
    expect(done).toMatchObject({ hasThumbnail: true, hasReviewable: true });
    expect(await t.listVersions(request.taskId)).toHaveLength(1);

    const components = await api(`select id, name from Component where version_id is "${again.id}"`);
    const thumbnail = components.find((c) => c['name'] === 'thumbnail');
    expect(await download(String(thumbnail?.['id']))).toEqual(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    const review = components.find((c) => c['name'] === 'ftrackreview-mp4');
    const [meta] = await api(`select value from Metadata where parent_id is "${String(review?.['id'])}" and key is "ftr_meta"`);
    expect(JSON.parse(String(meta?.['value']))).toEqual({ frameIn: 1001, frameOut: 1100, frameRate: 24, width: 1920, height: 1080 });
  });

  it('uploads a large review movie in parts', async () => {
    const big = path.join(dir, 'big.mp4');
    const bytes = Buffer.alloc(33 * 1024 * 1024 + 5);
    for (let i = 0; i < bytes.length; i += 4096) bytes[i] = i % 251;
    await writeFile(big, bytes);
    const t = trackerWith();
    const request = await publishRequest(t, 'big', { reviewable: { path: big, frameRate: 24, frameIn: 1, frameOut: 2, width: 2, height: 2 } });
    const result = await t.publishVersion(request);
    expect(sent.some((b) => b.includes('complete_multipart_upload'))).toBe(true);
    const [review] = await api(`select id from Component where version_id is "${result.id}" and name is "ftrackreview-mp4"`);
    const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
    expect(sha(await download(String(review?.['id'])))).toBe(sha(bytes));
  });

  it('reads every page of a long list', async () => {
    const t = trackerWith({ pageSize: 2 });
    const context = await t.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
    const emma = await t.getUser({ username: 'emma@compersinc.example' });
    for (let i = 0; i < 5; i++) {
      await t.logTime({ taskId: context!.task.id, userId: emma!.id, seconds: 60 * (i + 1), start: new Date(Date.UTC(2026, 0, 1 + i)) });
    }
    expect((await t.listTimeLogs(context!.task.id)).map((l) => l.seconds)).toEqual([60, 120, 180, 240, 300]);
    expect(sent.filter((b) => b.includes('from Timelog')).length).toBeGreaterThanOrEqual(3);
  });

  it('shows a job with its progress in ftrack', async () => {
    const t = trackerWith();
    const cora = await t.getUser({ username: 'cora@acmevfx.example' });
    const job = await t.createJob!(cora!.id, 'Outsourcing 3 tasks');
    await job.update({ fraction: 0.5, description: 'Outsourcing 3 tasks: 1 of 3' });
    await job.update({ status: 'done', fraction: 1 });
    const [row] = await api(`select status, data, user_id from Job where id is "${job.id}"`);
    expect(row).toMatchObject({ status: 'done', user_id: cora!.id });
    expect(JSON.parse(String(row?.['data']))).toEqual({ description: 'Outsourcing 3 tasks: 1 of 3', progress: 1 });
  });

  it('quotes every user value in expressions', async () => {
    const t = trackerWith();
    expect(await t.findTask({ project: 'scd', shot: '0010" or name like "%', task: 'cleanup' })).toBeUndefined();
    expect(await t.getUser({ username: 'x" or username like "%' })).toBeUndefined();
    expect(await t.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup\\' })).toBeUndefined();
  });
});

describe('ftrack tracker start-up diagnosis', () => {
  it('names a wrong key or URL within seconds, before the event hub, and prints nothing itself', async () => {
    const printed: unknown[] = [];
    const original = { error: console.error, warn: console.warn, log: console.log };
    console.error = console.warn = console.log = (...args: unknown[]) => void printed.push(args);
    try {
      const started = Date.now();
      const badKey = trackerWith({ apiKey: 'wrong' });
      await expect(badKey.actions!.serve({ discover: async () => [], launch: async () => undefined })).rejects.toMatchObject({ code: 'FTRACK_AUTH_FAILED' });
      const badPath = trackerWith({ serverUrl: `${emulator.url}/not-ftrack` });
      await expect(badPath.actions!.serve({ discover: async () => [], launch: async () => undefined })).rejects.toMatchObject({ code: 'FTRACK_URL_INVALID' });
      const noHost = trackerWith({ serverUrl: 'http://no-such-host.invalid' });
      await expect(noHost.listStatuses()).rejects.toMatchObject({ code: 'FTRACK_URL_INVALID', retryable: false });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      Object.assign(console, original);
    }
    expect(printed).toEqual([]);
  });
});
