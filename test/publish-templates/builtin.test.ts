import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../lib/media/index.ts';
import { BUILTIN_TEMPLATES, planPublish, runPublish } from '../../lib/publish/index.ts';
import type { PublishInstance } from '../../lib/publish/index.ts';
import { createMemoryTracker, loadStudioSeed } from '../../lib/tracker/index.ts';
import type { TaskContext } from '../../lib/tracker/types.ts';
import { testContext } from '../lib/publish/support.ts';
import { pngSequence, tempDir } from '../support/media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir('handoff-templates-')));
afterAll(() => cleanup());

function task(resolution: { width: number; height: number }): TaskContext {
  return {
    project: { id: 'p1', name: 'scd', fullName: 'Scandal', fps: 24, resolution },
    shot: { id: 's1', name: 'scd_0010_0010', frameRange: { start: 1001, end: 1010, handles: { head: 0, tail: 0 } } },
    task: { id: 't1', name: 'cleanup', type: 'cleanup', status: { id: 'st', name: 'In progress', state: 'in_progress' }, assignees: [] },
    fps: 24,
    notes: [],
    path: ['scd', '0010', '0010', 'cleanup'],
  };
}

async function renderInstance(name: string): Promise<PublishInstance> {
  const folder = path.join(dir, name);
  await mkdir(folder);
  const pattern = await pngSequence(folder, { first: 1001, count: 10 });
  return { id: name, name, family: 'render', media: { path: pattern }, data: { version: 'v001' }, outputs: {} };
}

describe('built-in publish templates', () => {
  it('are discovered from publish-templates/ in band order', async () => {
    const plan = await planPublish({ searchPaths: [{ scope: 'builtin', dir: BUILTIN_TEMPLATES }], configFiles: [] });
    expect(plan.entries.map((e) => e.id)).toEqual([
      'collect-vendor-folders', 'ignore-junk-files', 'collect-media-info', 'collect-frame-headers',
      'validate-safe-paths', 'validate-folder-name', 'validate-task-assignment', 'validate-version', 'validate-frames',
      'validate-extensions', 'validate-file-sizes', 'validate-frame-range', 'validate-resolution', 'decide-destination',
      'extract-thumbnail', 'extract-review-movie', 'integrate-files', 'integrate-tracker-version', 'integrate-vendor-version',
    ]);
  });

  it('probe, validate and extract a thumbnail and a review movie', async () => {
    const plan = await planPublish({ searchPaths: [{ scope: 'builtin', dir: BUILTIN_TEMPLATES }], configFiles: [] });
    const integrate = plan.entries.find((e) => e.id === 'integrate-tracker-version');
    if (integrate) integrate.enabled = false;
    const instance = await renderInstance('good');
    const context = testContext({ stagingDir: dir, task: task({ width: 64, height: 36 }), instances: [instance], data: { vendor: 'Acme' } });
    const report = await runPublish(plan, context);
    expect(report.results.filter((r) => r.status !== 'ok')).toEqual([]);
    expect(instance.outputs).toEqual({ thumbnail: path.join(dir, 'good.thumbnail.jpg'), review: path.join(dir, 'good.review.mp4') });
    const review = await probeMedia(instance.outputs.review ?? '', { countFrames: true });
    expect(review).toMatchObject({ kind: 'movie', codec: 'h264', frameCount: 10, width: 64, height: 36 });
  });

  it('report every validation problem and extract nothing', async () => {
    const plan = await planPublish({ searchPaths: [{ scope: 'builtin', dir: BUILTIN_TEMPLATES }], configFiles: [] });
    const instance = await renderInstance('holes');
    await rm(path.join(dir, 'holes', 'plate.1010.png'));
    const context = testContext({ stagingDir: dir, task: task({ width: 1920, height: 1080 }), instances: [instance] });
    const report = await runPublish(plan, context);
    const failed = report.results.filter((r) => r.status === 'error');
    expect(failed.map((r) => [r.pluginId, r.messages[0]?.title])).toEqual([
      ['validate-frame-range', 'Frame range too short'],
      ['validate-resolution', 'Wrong resolution'],
    ]);
    expect(report.halted?.beforePlugin).toBe('extract-thumbnail');
    expect(instance.outputs).toEqual({});
  });
});

describe('validate-frame-range', () => {
  it('names the frames missing inside the delivered range', async () => {
    const plan = await planPublish({ searchPaths: [{ scope: 'builtin', dir: BUILTIN_TEMPLATES }], configFiles: [] });
    const instance = await renderInstance('middle-hole');
    await rm(path.join(dir, 'middle-hole', 'plate.1004.png'));
    await rm(path.join(dir, 'middle-hole', 'plate.1005.png'));
    const report = await runPublish(plan, testContext({ stagingDir: dir, task: task({ width: 64, height: 36 }), instances: [instance] }));
    const failed = report.results.filter((r) => r.status === 'error');
    expect(failed.map((r) => r.pluginId)).toEqual(['validate-frame-range']);
    expect(failed[0]?.messages[0]).toMatchObject({ title: 'Frames missing', message: expect.stringContaining('1004, 1005') });
  });
});

describe('integrate-tracker-version', () => {
  it('publishes media, thumbnail and review once, however often publish runs', async () => {
    const config = path.join(dir, 'publish.yaml');
    await writeFile(config, 'plugins:\n  validate-resolution: { settings: { match: aspect } }\n  integrate-tracker-version: { settings: { status: Pending review } }\n');
    const plan = await planPublish({ searchPaths: [{ scope: 'builtin', dir: BUILTIN_TEMPLATES }], configFiles: [config] });
    const tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
    const task = await tracker.findTask({ project: 'scd', sequence: '0020', shot: '0010', task: 'cleanup' });
    if (!task) throw new Error('demo seed lacks scd 0020 0010 cleanup');
    const folder = path.join(dir, 'tracker');
    await mkdir(folder);
    const pattern = await pngSequence(folder, { first: 997, count: 32 });
    const name = 'scd_0020_0010_cleanup_v001';
    const publishOnce = async () => {
      const instance: PublishInstance = { id: name, name, family: 'render', media: { path: pattern }, data: { comment: 'first pass' }, outputs: {} };
      const context = testContext({ stagingDir: dir, task, instances: [instance] });
      context.services.tracker = tracker;
      const report = await runPublish(plan, context);
      expect(report.results.filter((r) => r.status !== 'ok')).toEqual([]);
      return instance.data.published!;
    };
    const first = await publishOnce();
    expect(first).toMatchObject({ version: 1, created: true });
    expect(first.components.map((c) => c.name)).toContain('main');
    expect(await publishOnce()).toMatchObject({ version: 1, created: false });
    const versions = await tracker.listVersions(task.task.id);
    expect(versions).toHaveLength(1);
    expect(versions[0]).toMatchObject({ asset: name, comment: 'first pass', status: { name: 'Pending review' }, hasThumbnail: true, hasReviewable: true });
  });
});
