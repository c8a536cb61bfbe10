/**
 * The TransferAdapter conformance suite. Every implementation runs it with a
 * factory that gives a fresh adapter over temporary HQ and vendor folders:
 * `testTransferAdapter('embedded', factory)`. Files really move.
 */
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { JobSpec, TransferAdapter } from '../../lib/transfer/types.ts';
import { collect, listTree, sameFile, writeTree, type Collector } from './transfer-helpers.ts';

export interface TransferFixture {
  adapter: TransferAdapter;
  /** The default HQ volume folder. */
  hqRoot: string;
  /** Vendor folders by code; the suite uses `CompersInc` and `OtherVendor`. */
  vendorRoots: Record<string, string>;
  close(): Promise<void>;
}

export type TransferFactory = () => Promise<TransferFixture>;

export function testTransferAdapter(name: string, factory: TransferFactory): void {
  describe(`TransferAdapter conformance: ${name}`, () => {
    let fx: TransferFixture;
    let adapter: TransferAdapter;
    let events: Collector;
    const delivery = (jobName: string, extra: Partial<JobSpec> = {}): JobSpec => ({
      name: jobName,
      source: { kind: 'hq' },
      destination: { kind: 'vendor', vendor: 'CompersInc' },
      ...extra,
    });

    beforeEach(async () => {
      fx = await factory();
      adapter = fx.adapter;
      events = await collect(adapter);
    });
    afterEach(async () => {
      events.stop();
      await fx.close();
    });

    it('creates a job once and finds it by name and id', async () => {
      expect(await adapter.findJob('daily')).toBeUndefined();
      const job = await adapter.ensureJob(delivery('daily', { metadata: { project: 'scd' } }));
      expect(job).toMatchObject({ name: 'daily', queue: 'default', mirrorPaths: true, metadata: { project: 'scd' } });
      expect((await adapter.ensureJob(delivery('daily'))).id).toBe(job.id);
      expect((await adapter.findJob('daily'))?.id).toBe(job.id);
      expect((await adapter.getJob(job.id))?.destination).toEqual({ kind: 'vendor', vendor: 'CompersInc' });
      expect((await adapter.listJobs({ vendor: 'CompersInc' })).map((j) => j.id)).toEqual([job.id]);
      expect(await adapter.listJobs({ vendor: 'Nobody' })).toEqual([]);
      await expect(adapter.ensureJob({ ...delivery(''), name: '' })).rejects.toMatchObject({ code: 'TRANSFER_JOB_INVALID' });
      await expect(adapter.ensureJob(delivery('q', { queue: 'nope' }))).rejects.toMatchObject({ code: 'TRANSFER_QUEUE_UNKNOWN' });
    });

    it('appends tasks and retries a duplicate instead of adding it', async () => {
      const job = await adapter.ensureJob(delivery('append', { paused: true }));
      const first = await adapter.appendTasks(job.id, [{ source: 'a/one.txt' }, { source: 'b', destination: 'elsewhere/b', priority: 900 }]);
      expect(first.added.map((t) => [t.source, t.destination, t.priority, t.status])).toEqual([
        ['a/one.txt', 'a/one.txt', 500, 'queued'],
        ['b', 'elsewhere/b', 900, 'queued'],
      ]);
      const again = await adapter.appendTasks(job.id, [{ source: 'a/one.txt' }, { source: './a//one.txt' }, { source: 'c' }]);
      expect(again.added.map((t) => t.source)).toEqual(['c']);
      expect(again.retried.map((t) => t.id)).toEqual([first.added[0]?.id]);
      expect((await adapter.listTasks(job.id)).length).toBe(3);
    });

    it('reports every invalid task at once and refuses hostile paths', async () => {
      const job = await adapter.ensureJob(delivery('invalid', { mirrorPaths: false }));
      const err = await adapter.appendTasks(job.id, [{ source: '../etc/passwd', destination: 'x' }, { source: '/abs', destination: 'y' }, { source: 'ok' }, { source: 'p', destination: 'p', priority: 0 }]).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'TRANSFER_TASK_INVALID' });
      const issues = (err as { details: { issues: { index: number; field: string }[] } }).details.issues;
      expect(issues.map((i) => `${i.index}:${i.field}`)).toEqual(['0:source', '1:source', '2:destination', '3:priority']);
      expect(await adapter.listTasks(job.id)).toEqual([]);
    });

    it('yields one job and no duplicate tasks under 50 concurrent launches', async () => {
      const tasks = [{ source: 'shot/a.exr' }, { source: 'shot/b.exr' }, { source: 'shot/c.exr' }];
      const launches = Array.from({ length: 50 }, async () => {
        const job = await adapter.ensureJob(delivery('race', { paused: true }));
        await adapter.appendTasks(job.id, tasks);
        return job.id;
      });
      const ids = new Set(await Promise.all(launches));
      expect(ids.size).toBe(1);
      const [id] = [...ids] as [string];
      expect((await adapter.listTasks(id)).map((t) => t.source).sort()).toEqual(['shot/a.exr', 'shot/b.exr', 'shot/c.exr']);
      expect((await adapter.listJobs({ name: 'race' })).length).toBe(1);
    });

    it('delivers a real tree byte-identical at mirrored paths, with progress and post-done once', async () => {
      await writeTree(fx.hqRoot, {
        'scd/0010/plates/scd_0010.1001.exr': 3 * 1024 * 1024 + 17,
        'scd/0010/plates/scd_0010.1002.exr': 200_000,
        'scd/0010/plates/sub/empty.txt': 0,
        'scd/0010/notes.txt': 1234,
      });
      const job = await adapter.ensureJob(delivery('deliver', { paused: true }));
      await adapter.appendTasks(job.id, [{ source: 'scd/0010/plates' }, { source: 'scd/0010/notes.txt', priority: 900 }]);
      await adapter.resume(job.id);
      const done = await events.until((e) => e.type === 'job.post-done' && e.job.id === job.id);
      const vendor = fx.vendorRoots.CompersInc as string;
      expect(await listTree(vendor)).toEqual(await listTree(path.join(fx.hqRoot, 'scd')).then((files) => files.map((f) => `scd/${f}`)));
      for (const file of await listTree(vendor)) expect(await sameFile(path.join(fx.hqRoot, file), path.join(vendor, file))).toBe(true);
      expect(done.type === 'job.post-done' && done.tasks.map((t) => t.status)).toEqual(['done', 'done']);
      const final = await adapter.getJob(job.id);
      expect(final).toMatchObject({ status: 'done', progress: { fraction: 1, filesDone: 4, filesTotal: 4, bytesTotal: 3 * 1024 * 1024 + 17 + 200_000 + 1234 } });
      expect(final?.finishedAt).toBeInstanceOf(Date);
      const mine = events.events.filter((e) => e.job.id === job.id);
      expect(mine.filter((e) => e.type === 'job.post-done').length).toBe(1);
      const progress = mine.filter((e) => e.type === 'job.progress').map((e) => e.job.progress.bytesDone);
      expect(progress.length).toBeGreaterThan(0);
      expect(Math.max(...progress)).toBe(final?.progress.bytesTotal);
      expect(await adapter.listGrants('CompersInc')).toContainEqual({ vendor: 'CompersInc', path: 'scd/0010/plates', read: true, write: false });
      const lastTaskDone = mine.findLastIndex((e) => e.type === 'task.status' && e.task.status === 'done');
      expect(lastTaskDone).toBeLessThan(mine.findIndex((e) => e.type === 'job.post-done'));
      await adapter.appendTasks(job.id, [{ source: 'scd/0010/notes.txt' }]);
      expect((await adapter.findJob('deliver'))?.id).toBe(job.id); // a retried duplicate reopens the job
      await events.until((e) => e.type === 'job.post-done' && e.job.id === job.id && e !== done);
    });

    it('keeps a paused job waiting and runs it on resume', async () => {
      await writeTree(fx.hqRoot, { 'p/one.bin': 10_000, 'q/two.bin': 10_000 });
      const paused = await adapter.ensureJob(delivery('paused', { paused: true, tasks: [{ source: 'p/one.bin' }] }));
      expect(paused.status).toBe('paused');
      const other = await adapter.ensureJob(delivery('other', { tasks: [{ source: 'q/two.bin' }] }));
      await events.until((e) => e.type === 'job.post-done' && e.job.id === other.id);
      expect((await adapter.listTasks(paused.id)).map((t) => t.status)).toEqual(['queued']);
      expect(await listTree(path.join(fx.vendorRoots.CompersInc as string, 'p'))).toEqual([]);
      expect((await adapter.resume(paused.id)).status).not.toBe('paused');
      await events.until((e) => e.type === 'job.post-done' && e.job.id === paused.id);
      expect((await adapter.pause(other.id)).status).toBe('done');
    });

    it('re-prioritises jobs and tasks and rejects out-of-range priorities', async () => {
      const job = await adapter.ensureJob(delivery('prio', { paused: true, tasks: [{ source: 'a' }, { source: 'b' }] }));
      const [a] = await adapter.listTasks(job.id);
      await adapter.prioritise(job.id, 950, [a?.id as string]);
      expect((await adapter.listTasks(job.id)).map((t) => t.priority)).toEqual([950, 500]);
      await adapter.prioritise(job.id, 999);
      expect((await adapter.getJob(job.id))?.priority).toBe(999);
      await expect(adapter.prioritise(job.id, 1001, [a?.id as string])).rejects.toMatchObject({ code: 'TRANSFER_PRIORITY_INVALID' });
      await expect(adapter.prioritise(job.id, 5, ['nope'])).rejects.toMatchObject({ code: 'TRANSFER_TASK_NOT_FOUND' });
      await expect(adapter.pause('missing-job')).rejects.toMatchObject({ code: 'TRANSFER_JOB_NOT_FOUND' });
    });

    it('fails a task with a clear error, fires post-failed, and finishes after retry or exclude', async () => {
      await writeTree(fx.hqRoot, { 'have/x.bin': 5000 });
      const job = await adapter.ensureJob(delivery('fail', { tasks: [{ source: 'have/x.bin' }, { source: 'missing/y.bin' }] }));
      const failed = await events.until((e) => e.type === 'job.post-failed' && e.job.id === job.id);
      expect(failed.job.status).toBe('failed');
      const tasks = await adapter.listTasks(job.id);
      const bad = tasks.find((t) => t.source === 'missing/y.bin');
      expect(bad).toMatchObject({ status: 'failed', lastError: { code: 'TRANSFER_SOURCE_MISSING' }, attempts: 1 });
      await writeTree(fx.hqRoot, { 'missing/y.bin': 3000 });
      expect((await adapter.retry(job.id)).map((t) => t.id)).toEqual([bad?.id]);
      const done = await events.until((e) => e.type === 'job.post-done' && e.job.id === job.id);
      expect(done.type === 'job.post-done' && done.tasks.every((t) => t.status === 'done')).toBe(true);

      const second = await adapter.ensureJob(delivery('exclude', { tasks: [{ source: 'gone.bin' }] }));
      await events.until((e) => e.type === 'job.post-failed' && e.job.id === second.id);
      const [gone] = await adapter.listTasks(second.id);
      expect((await adapter.exclude(second.id, [gone?.id as string])).map((t) => t.status)).toEqual(['excluded']);
      await events.until((e) => e.type === 'job.post-done' && e.job.id === second.id);
      expect((await adapter.listTasks(second.id)).map((t) => t.status)).toEqual(['excluded']);
    });

    it('lays out vendor shares, lists grants and refuses uploads outside them', async () => {
      const share = await adapter.ensureShare({ vendor: 'CompersInc', root: '_VENDORS/CompersInc' });
      expect(share).toMatchObject({ vendor: 'CompersInc', root: '_VENDORS/CompersInc' });
      expect((await stat(path.join(fx.hqRoot, '_VENDORS/CompersInc/TO_CLIENT'))).isDirectory()).toBe(true);
      expect((await stat(path.join(fx.hqRoot, '_VENDORS/CompersInc/FROM_CLIENT'))).isDirectory()).toBe(true);
      await adapter.ensureShare({ vendor: 'OtherVendor', root: '_VENDORS/OtherVendor' });
      await adapter.grant({ vendor: 'CompersInc', path: 'scd/0010', read: true, write: false });
      expect((await adapter.listGrants('CompersInc')).map((g) => [g.path, g.read, g.write])).toEqual([
        ['_VENDORS/CompersInc/FROM_CLIENT', false, true],
        ['_VENDORS/CompersInc/TO_CLIENT', true, false],
        ['scd/0010', true, false],
      ]);
      expect((await adapter.getShare('OtherVendor'))?.root).toBe('_VENDORS/OtherVendor');
      expect(await adapter.getShare('Nobody')).toBeUndefined();

      const upload = await adapter.ensureJob({ name: 'upload', source: { kind: 'vendor', vendor: 'CompersInc' }, destination: { kind: 'hq' }, mirrorPaths: false });
      for (const destination of ['_VENDORS/OtherVendor/FROM_CLIENT/x', '_VENDORS/CompersInc/TO_CLIENT/x', 'scd/0010/x']) {
        await expect(adapter.appendTasks(upload.id, [{ source: 'result', destination }])).rejects.toMatchObject({ code: 'TRANSFER_ACCESS_DENIED' });
      }
      const vendorRoot = fx.vendorRoots.CompersInc as string;
      await mkdir(vendorRoot, { recursive: true });
      await writeTree(vendorRoot, { 'scd_0010_cleanup_v001/frame.1001.exr': 40_000 });
      await adapter.appendTasks(upload.id, [{ source: 'scd_0010_cleanup_v001', destination: '_VENDORS/CompersInc/FROM_CLIENT/scd_0010_cleanup_v001' }]);
      await events.until((e) => e.type === 'job.post-done' && e.job.id === upload.id);
      const landed = path.join(fx.hqRoot, '_VENDORS/CompersInc/FROM_CLIENT/scd_0010_cleanup_v001/frame.1001.exr');
      expect(await sameFile(path.join(vendorRoot, 'scd_0010_cleanup_v001/frame.1001.exr'), landed)).toBe(true);
    });
  });
}
