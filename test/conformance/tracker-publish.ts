/** Conformance: listVersions and publishVersion (numbering, idempotency, side effects). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublishRequest, Tracker } from '../../lib/tracker/types.ts';
import { EMMA, expectCode, taskIdOf, userIdOf, type TrackerConformanceOptions } from './tracker-support.ts';

const ASSET = 'scd_0010_0010_cleanup';

export function publishTests(t: () => Tracker, options: TrackerConformanceOptions): void {
  const skip = new Set(options.skip ?? []);

  async function request(key: string, extra: Partial<PublishRequest> = {}): Promise<PublishRequest> {
    return {
      taskId: await taskIdOf(t(), 'scd/0010/0010/cleanup'),
      asset: ASSET,
      idempotencyKey: key,
      components: [{ kind: 'file', name: 'main', path: '/vol/scd/publish/scd_0010_0010_cleanup_v001.nk' }],
      ...extra,
    };
  }

  describe('publishVersion', () => {
    it('starts with no versions and refuses an unknown task', async () => {
      expect(await t().listVersions(await taskIdOf(t(), 'scd/0010/0010/cleanup'))).toEqual([]);
      await expectCode(t().listVersions('no-such-task'), 'TRACKER_TASK_NOT_FOUND');
    });

    it('publishes file and sequence components, the comment as a note, time spent and the status', async () => {
      const emma = await userIdOf(t(), EMMA);
      const req = await request('k1', {
        authorId: emma,
        components: [
          { kind: 'sequence', name: 'exr', path: '/vol/scd/publish/v001/plate.%04d.exr', frames: { start: 1001, end: 1100, padding: 4 } },
          { kind: 'file', name: 'nk', path: '/vol/scd/publish/v001/cleanup.nk', size: 2048 },
        ],
        comment: 'Boom mic removed.',
        timeSpent: 7200,
        status: 'Pending review',
      });
      const result = await t().publishVersion(req);
      expect(result).toMatchObject({ version: 1, taskId: req.taskId, created: true });
      expect(result.components.map((c) => [c.name, c.kind, c.path])).toEqual([
        ['exr', 'sequence', '/vol/scd/publish/v001/plate.%04d.exr'],
        ['nk', 'file', '/vol/scd/publish/v001/cleanup.nk'],
      ]);

      const [info] = await t().listVersions(req.taskId);
      expect(info).toMatchObject({ id: result.id, asset: ASSET, assetId: result.assetId, version: 1, authorId: emma, comment: 'Boom mic removed.', status: { name: 'Pending review' } });
      expect(info?.components.map((c) => c.name)).toEqual(['exr', 'nk']);
      expect(info?.createdAt).toBeInstanceOf(Date);
      expect((await t().listNotes({ kind: 'version', id: result.id })).map((n) => [n.content, n.author?.username])).toEqual([
        ['Boom mic removed.', EMMA],
      ]);
      expect((await t().listTimeLogs(req.taskId)).map((l) => [l.seconds, l.userId])).toEqual([[7200, emma]]);
      const [resolved] = await t().resolveTasks([req.taskId]);
      expect(resolved?.ok && resolved.context.task.status.name).toBe('Pending review');
    });

    it('numbers per asset and lists by asset then number, optionally one asset', async () => {
      await t().publishVersion(await request('a1'));
      await t().publishVersion(await request('b1', { asset: 'scd_0010_0010_cleanup_matte' }));
      await t().publishVersion(await request('a2'));
      const id = await taskIdOf(t(), 'scd/0010/0010/cleanup');
      expect((await t().listVersions(id)).map((v) => [v.asset, v.version])).toEqual([
        [ASSET, 1],
        [ASSET, 2],
        ['scd_0010_0010_cleanup_matte', 1],
      ]);
      expect((await t().listVersions(id, ASSET)).map((v) => v.version)).toEqual([1, 2]);
      expect(await t().listVersions(id, 'no_such_asset')).toEqual([]);
    });

    it('returns the first version for a repeated key and duplicates nothing', async () => {
      const req = await request('same', { comment: 'first take', timeSpent: 600, status: 'Pending review', authorId: await userIdOf(t(), EMMA) });
      const first = await t().publishVersion(req);
      await t().setTaskStatus(req.taskId, 'In progress');
      const again = await t().publishVersion(req);
      expect(again).toEqual({ ...first, created: false });
      expect(await t().listVersions(req.taskId)).toHaveLength(1);
      expect(await t().listNotes({ kind: 'version', id: first.id })).toHaveLength(1);
      expect(await t().listTimeLogs(req.taskId)).toHaveLength(1);
      const [resolved] = await t().resolveTasks([req.taskId]);
      expect(resolved?.ok && resolved.context.task.status.name).toBe('In progress');
      const next = await t().publishVersion(await request('other'));
      expect(next).toMatchObject({ version: 2, created: true });
    });

    it('refuses a key reused for another asset', async () => {
      await t().publishVersion(await request('k'));
      await expectCode(t().publishVersion(await request('k', { asset: 'other_asset' })), 'TRACKER_IDEMPOTENCY_CONFLICT');
    });

    it('publishes an explicit number, continues after it, and refuses a taken one', async () => {
      expect((await t().publishVersion(await request('v5', { version: 5 }))).version).toBe(5);
      expect((await t().publishVersion(await request('next'))).version).toBe(6);
      const err = await expectCode(t().publishVersion(await request('dup', { version: 5 })), 'TRACKER_VERSION_EXISTS');
      expect(err.details).toMatchObject({ version: 5 });
    });

    it('checks everything first: a refused publish leaves no version, note, time log or status', async () => {
      const id = await taskIdOf(t(), 'scd/0010/0010/cleanup');
      const err = await expectCode(t().publishVersion(await request('bad', { status: 'Done!', comment: 'x', timeSpent: 60 })), 'TRACKER_STATUS_UNKNOWN');
      expect(err.details['valid']).toContain('Pending review');
      await expectCode(t().publishVersion(await request('bad', { authorId: 'no-such-user', comment: 'x' })), 'TRACKER_USER_NOT_FOUND');
      await expectCode(t().publishVersion(await request('bad', { taskId: 'no-such-task' })), 'TRACKER_TASK_NOT_FOUND');
      expect(await t().listVersions(id)).toEqual([]);
      expect(await t().listTimeLogs(id)).toEqual([]);
      const [resolved] = await t().resolveTasks([id]);
      expect(resolved?.ok && resolved.context.task.status.name).toBe('Ready to start');
      expect((await t().publishVersion(await request('bad'))).version).toBe(1);
    });

    it('lists every problem of a malformed request at once', async () => {
      const req = await request('bad', {
        components: [
          { kind: 'file', name: 'main', path: 'relative/file.nk' },
          { kind: 'sequence', name: 'main', path: '/vol/plate.exr', frames: { start: 10, end: 1, padding: 4 } },
          { kind: 'sequence', name: 'exr', path: '/vol/plate.%05d.exr', frames: { start: 1, end: 10, padding: 4 } },
        ],
      });
      const err = await expectCode(t().publishVersion(req), 'TRACKER_REQUEST_INVALID');
      const problems = err.details['problems'] as string[];
      expect(problems.length).toBeGreaterThanOrEqual(4);
      expect(problems.some((p) => p.startsWith('components.0.path'))).toBe(true);
      expect(problems.some((p) => p.startsWith('components.1.frames'))).toBe(true);
      expect(problems.some((p) => p.includes('unique'))).toBe(true);
      expect(problems.some((p) => p.startsWith('components.2.frames.padding'))).toBe(true);
    });

    it.runIf(!skip.has('concurrent-publish'))('gives concurrent publishes to one asset distinct numbers, and one version per key', async () => {
      const reqs = await Promise.all(['c1', 'c2', 'c3', 'c4', 'c1', 'c2'].map((k) => request(k)));
      const results = await Promise.all(reqs.map((r) => t().publishVersion(r)));
      expect(new Set(results.map((r) => r.version))).toEqual(new Set([1, 2, 3, 4]));
      expect(results[4]?.id).toBe(results[0]?.id);
      expect(results[5]?.id).toBe(results[1]?.id);
      expect(results.filter((r) => r.created)).toHaveLength(4);
      expect(await t().listVersions(reqs[0]!.taskId)).toHaveLength(4);
    });
  });

  describe('publishVersion uploads', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'handoff-tracker-'));
      // Trackers store these bytes without decoding them; what makes them real is the media module's job.
      await writeFile(path.join(dir, 'thumb.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
      await writeFile(path.join(dir, 'review.mp4'), Buffer.alloc(64, 1));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it.runIf(!skip.has('uploads'))('stores a thumbnail and a reviewable when it takes uploads, else refuses them up front', async () => {
      const reviewable = { path: path.join(dir, 'review.mp4'), frameRate: 24, frameIn: 1001, frameOut: 1100, width: 1920, height: 1080 };
      const req = await request('up', { thumbnail: path.join(dir, 'thumb.png'), reviewable });
      if (!t().features.uploads) {
        await expectCode(t().publishVersion(req), 'TRACKER_CAPABILITY_MISSING');
        expect(await t().listVersions(req.taskId)).toEqual([]);
        return;
      }
      const result = await t().publishVersion(req);
      const [info] = await t().listVersions(result.taskId);
      expect(info).toMatchObject({ hasThumbnail: true, hasReviewable: true });
      expect(info?.components.map((c) => c.name)).toEqual(['main']);
      const plain = await t().publishVersion(await request('plain'));
      expect((await t().listVersions(plain.taskId)).find((v) => v.id === plain.id)).toMatchObject({ hasThumbnail: false, hasReviewable: false });
    });

    it.runIf(!skip.has('uploads'))('refuses a missing thumbnail file before creating anything', async () => {
      const req = await request('missing', { thumbnail: path.join(dir, 'nope.png') });
      await expectCode(t().publishVersion(req), t().features.uploads ? 'TRACKER_FILE_NOT_FOUND' : 'TRACKER_CAPABILITY_MISSING');
      expect(await t().listVersions(req.taskId)).toEqual([]);
    });
  });
}
