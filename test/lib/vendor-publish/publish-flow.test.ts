/**
 * The whole way back: a vendor folder of EXR frames is pre-published, uploaded
 * through the embedded transfer core, and published by the shipped
 * job-post-done hook into the memory tracker — then published again (nothing
 * new), and once with a failing tracker (nothing lost).
 */
import { readdir, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HandoffError } from '../../../lib/core/errors.ts';
import { createHookRuntime, jobHookPayload, loadHooks, runJobHooks } from '../../../lib/hooks/index.ts';
import type { HookRunResult, JobHookPayload } from '../../../lib/hooks/index.ts';
import { probeStream } from '../../../lib/media/index.ts';
import { startFtrackEmulator } from '../../../lib/emulators/ftrack/index.ts';
import { startShotgridEmulator } from '../../../lib/emulators/shotgrid/index.ts';
import { createFtrackTracker } from '../../../lib/tracker/ftrack/index.ts';
import { createShotgridTracker } from '../../../lib/tracker/shotgrid/index.ts';
import { checkStudioSeed, createMemoryTracker } from '../../../lib/tracker/index.ts';
import type { Tracker } from '../../../lib/tracker/index.ts';
import { createEmbeddedTransfer } from '../../../lib/transfer/embedded.ts';
import type { EmbeddedTransfer } from '../../../lib/transfer/embedded.ts';
import { buildTree, prepublish, submitPublish } from '../../../lib/vendor-publish/index.ts';
import type { VendorPublishServices } from '../../../lib/vendor-publish/index.ts';
import type { LandedJobResult } from '../../../lib/vendor-publish/index.ts';
import { tempDir } from '../../support/media-fixtures.ts';
import { compers, emma } from './support.ts';
import { tinySeed, vendorResult } from './studio.ts';

const HOOKS = fileURLToPath(new URL('../../../hooks', import.meta.url));
const FOLDER = 'scd_0010_0010_cleanup_v001';

let dir: string;
let cleanup: () => Promise<void>;
let tracker: Tracker;
let closeTracker: () => Promise<void>;
let transfer: EmbeddedTransfer;
let roots: { hq: string; vendor: string };
/** What the HQ server hands its hooks; each test sets the tracker it publishes with. */
const hookServices: { vendorPublish?: VendorPublishServices } = {};

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('handoff-publish-'));
  roots = { hq: path.join(dir, 'hq'), vendor: path.join(dir, 'vendor') };
  await Promise.all([mkdir(roots.hq), mkdir(roots.vendor)]);
  tracker = createMemoryTracker({ seed: tinySeed });
  closeTracker = () => tracker.close();
  transfer = createEmbeddedTransfer({ dataDir: path.join(dir, 'data'), roots: { hq: { proj: roots.hq }, vendors: { CompersInc: roots.vendor } } });
  // What HQ sets up when it outsources to the vendor: its home, FROM_CLIENT writable.
  await transfer.ensureShare({ vendor: 'CompersInc', root: '_VENDORS/CompersInc' });
});
afterEach(async () => {
  delete hookServices.vendorPublish;
  await transfer.close();
  await closeTracker();
  await cleanup();
});

/** Pre-publishes and uploads the vendor's folder; resolves with the post-done hook results and payload. */
async function uploadAndLand(): Promise<{ results: HookRunResult[]; payload: JobHookPayload; runtime: ReturnType<typeof createHookRuntime> }> {
  await vendorResult(roots.vendor);
  const files = await buildTree([path.join(roots.vendor, FOLDER)]);
  const response = await prepublish({ vendor: compers, user: emma, files, localRoot: roots.vendor }, { tracker });
  expect(response.folders.map((f) => [f.filename, f.verdict])).toEqual([[FOLDER, 'can_publish']]);
  const runtime = createHookRuntime({ hooks: await loadHooks({ folders: [HOOKS] }), services: hookServices });
  const controller = new AbortController();
  const resolve = (party: { kind: string }, p: string) => (party.kind === 'hq' ? path.join(roots.hq, p) : undefined);
  const landed = new Promise<HookRunResult[]>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('the upload did not finish in 30 s')), 30_000);
    void runJobHooks({
      transfer, runtime, signal: controller.signal, resolve,
      onResults: (_jobId, results) => {
        clearTimeout(timer);
        done(results);
      },
    });
  });
  const submitted = await submitPublish({
    transfer, vendor: compers, user: emma, response, files,
    fields: { comment: 'Boom mic removed, grain kept.', timeSpent: 12_600 },
    sourceOf: (name) => name,
  });
  const results = await landed;
  controller.abort();
  const payload = jobHookPayload('job.post-done', (await transfer.getJob(submitted.job.id))!, await transfer.listTasks(submitted.job.id), resolve);
  return { results, payload, runtime };
}

async function cleanupTask(t: Tracker) {
  return (await t.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' }))!;
}

/** The same studio in the ftrack emulator, reached by the ftrack tracker over HTTP. */
async function useFtrack(): Promise<void> {
  await tracker.close();
  const emulator = await startFtrackEmulator({ seed: checkStudioSeed(tinySeed, 'the tiny test studio') });
  tracker = createFtrackTracker({ serverUrl: emulator.url, user: emulator.user, apiKey: emulator.apiKey, retryDelayMs: 10 });
  closeTracker = async () => {
    await tracker.close();
    await emulator.close();
  };
}

/** The same studio in the ShotGrid emulator, reached by the ShotGrid tracker over HTTP. */
async function useShotgrid(): Promise<void> {
  await tracker.close();
  const emulator = await startShotgridEmulator({ seed: checkStudioSeed(tinySeed, 'the tiny test studio') });
  tracker = createShotgridTracker({ siteUrl: emulator.url, scriptName: emulator.scriptName, scriptKey: emulator.scriptKey, retryDelayMs: 10, createKeyField: true });
  closeTracker = async () => {
    await tracker.close();
    await emulator.close();
  };
}

describe.each([
  ['memory', async () => undefined],
  ['ftrack', useFtrack],
  ['shotgrid', useShotgrid],
])('vendor publish into the %s tracker', (name, setUp) => {
  it('publishes one version with components, proxies, note, time log and status — and a re-run creates nothing', async () => {
    await setUp();
    expect(tracker.name).toBe(name);
    hookServices.vendorPublish = { tracker, hqRoot: roots.hq };
    const { results, payload, runtime } = await uploadAndLand();
    expect(results.map((r) => [r.hook, r.ok])).toEqual([['vendor-publish', true]]);
    const output = (results[0] as { output: LandedJobResult }).output;
    expect(output).toMatchObject({ kind: 'published', folders: [{ folder: FOLDER, ok: true, version: 1, created: true }] });

    const task = await cleanupTask(tracker);
    const versions = await tracker.listVersions(task.task.id);
    expect(versions).toHaveLength(1);
    const dest = path.join(roots.hq, 'scd/0010/0010/publish/cleanup', FOLDER);
    expect(versions[0]).toMatchObject({
      asset: 'scd_0010_0010_cleanup', version: 1, comment: 'Boom mic removed, grain kept.', hasThumbnail: true, hasReviewable: true,
      components: [{ name: 'exr', kind: 'sequence', path: path.join(dest, 'plate.%04d.exr') }],
    });
    expect((await cleanupTask(tracker)).task.status.name).toBe('Pending review');
    const logs = await tracker.listTimeLogs(task.task.id);
    expect(logs.map((l) => l.seconds)).toEqual([12_600]);
    expect((await readdir(dest)).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `plate.${1001 + i}.exr`));
    // Exactly the validated files landed: the junk .DS_Store stayed with the vendor.
    expect(await readdir(path.join(roots.hq, '_VENDORS/CompersInc/FROM_CLIENT', FOLDER))).toHaveLength(10);

    const review = path.join(roots.hq, 'scd/0010/0010/publish/cleanup/_proxies', `${FOLDER}.review.mp4`);
    const stream = await probeStream(review, { countFrames: true });
    expect(stream).toMatchObject({ codec: 'h264', pixelFormat: 'yuv420p', frameCount: 10, width: 64, height: 36 });
    expect(stream.colour).toMatchObject({ primaries: 'bt709', transfer: 'bt709', matrix: 'bt709' });

    const notes = await tracker.listNotes({ kind: 'version', id: versions[0]!.id });
    expect(notes.map((n) => [n.content, n.author?.username])).toEqual([['Boom mic removed, grain kept.', emma]]);
    const again = await runtime.run('job.post-done', payload);
    expect(again.map((r) => r.ok)).toEqual([true]);
    expect((again[0] as { output: LandedJobResult }).output).toMatchObject({ folders: [{ version: 1, created: false }] });
    expect(await tracker.listVersions(task.task.id)).toHaveLength(1);
    expect(await tracker.listNotes({ kind: 'version', id: versions[0]!.id })).toEqual(notes);
    expect((await tracker.listTimeLogs(task.task.id)).length).toBe(1);
  }, 60_000);
});

describe('vendor publish after the upload lands', () => {
  it('records a failing publish with the job and keeps the landed files; a retry then publishes', async () => {
    const down = new HandoffError('TRACKER_UNAVAILABLE', 'the tracker is down', { retryable: true });
    const failing = new Proxy(tracker, {
      get: (target, key) => (key === 'publishVersion' ? () => Promise.reject(down) : Reflect.get(target, key)),
    });
    hookServices.vendorPublish = { tracker: failing, hqRoot: roots.hq };
    const { results, payload, runtime } = await uploadAndLand();
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'PUBLISH_FAILED' } });
    expect((results[0] as { error: { message: string } }).error.message).toContain('the tracker is down');
    const task = await cleanupTask(tracker);
    expect(await tracker.listVersions(task.task.id)).toEqual([]);
    // Exactly the validated files landed: the junk .DS_Store stayed with the vendor.
    expect(await readdir(path.join(roots.hq, '_VENDORS/CompersInc/FROM_CLIENT', FOLDER))).toHaveLength(10);

    hookServices.vendorPublish = { tracker, hqRoot: roots.hq };
    const retried = await runtime.run('job.post-done', payload);
    expect(retried.map((r) => r.ok)).toEqual([true]);
    expect(await tracker.listVersions(task.task.id)).toHaveLength(1);
  }, 60_000);

  it('refuses publish metadata that names another vendor than the one the job came from', async () => {
    hookServices.vendorPublish = { tracker, hqRoot: roots.hq };
    const { payload, runtime } = await uploadAndLand();
    const forged = { ...payload, source_hr: 'vendor:OtherVendor' };
    const results = await runtime.run('job.post-done', forged);
    expect(results[0]).toMatchObject({ ok: false, error: { code: 'PUBLISH_METADATA_INVALID' } });
  }, 60_000);

  it('lets jobs that are not vendor publishes pass', async () => {
    hookServices.vendorPublish = { tracker, hqRoot: roots.hq };
    const runtime = createHookRuntime({ hooks: await loadHooks({ folders: [HOOKS] }), services: hookServices });
    const job = await transfer.ensureJob({ name: 'Outsource - download', source: { kind: 'hq' }, destination: { kind: 'vendor', vendor: 'CompersInc' } });
    const results = await runtime.run('job.post-done', jobHookPayload('job.post-done', job, [], () => undefined));
    expect(results).toMatchObject([{ ok: true, output: { kind: 'not-a-publish' } }]);
  });
});
