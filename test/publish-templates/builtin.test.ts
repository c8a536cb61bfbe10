import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeMedia } from '../../lib/media/index.ts';
import { BUILTIN_TEMPLATES, planPublish, runPublish } from '../../lib/publish/index.ts';
import type { PublishInstance } from '../../lib/publish/index.ts';
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
      'extract-thumbnail', 'extract-review-movie', 'integrate-files', 'integrate-tracker-version',
    ]);
  });

  it('probe, validate and extract a thumbnail and a review movie', async () => {
    const plan = await planPublish({ searchPaths: [{ scope: 'builtin', dir: BUILTIN_TEMPLATES }], configFiles: [] });
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
