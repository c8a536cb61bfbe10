/**
 * What the ShotGrid tracker does beyond the conformance suite, against the
 * emulator over real HTTP: bounded requests for a selection, attribution to
 * the vendor's person, finishing a publish that stopped part-way, and the
 * errors for a site without the key field or with a wrong script key.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startShotgridEmulator } from '../../../../lib/emulators/shotgrid/index.ts';
import type { ShotgridEmulator } from '../../../../lib/emulators/shotgrid/index.ts';
import { createShotgridTracker, KEYED_TYPES } from '../../../../lib/tracker/shotgrid/index.ts';
import type { ShotgridTracker } from '../../../../lib/tracker/shotgrid/index.ts';
import { EMMA, taskIdOf, userIdOf } from '../../../conformance/tracker-support.ts';

let emulator: ShotgridEmulator;
let tracker: ShotgridTracker;
let dir: string;

beforeEach(async () => {
  emulator = await startShotgridEmulator({ seed: 'demo' });
  for (const type of KEYED_TYPES) emulator.site.schema.addField(type, 'text', 'Handoff Key');
  tracker = createShotgridTracker({ siteUrl: emulator.url, scriptName: emulator.scriptName, scriptKey: emulator.scriptKey, retryDelayMs: 5 });
  dir = await mkdtemp(path.join(tmpdir(), 'sg-tracker-'));
});
afterEach(async () => {
  await tracker.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const allTaskIds = async (): Promise<string[]> => (await tracker.client.findAll('Task', [], { fields: ['id'] })).map((t) => String(t.id));

describe('resolveTasks', () => {
  it('takes the same few requests for one task as for every task of the site', async () => {
    const ids = await allTaskIds();
    await tracker.listStatuses();
    const count = async (selection: string[]): Promise<number> => {
      const before = tracker.client.http.sent;
      expect((await tracker.resolveTasks(selection)).every((r) => r.ok)).toBe(true);
      return tracker.client.http.sent - before;
    };
    const one = await count(ids.slice(0, 1));
    expect(ids.length).toBeGreaterThan(4);
    expect(await count(ids)).toBe(one);
    expect(one).toBeLessThanOrEqual(5);
  });

  it('rides out 429s with Retry-After from the site', async () => {
    emulator.faults.set({ failNext: 2, status: 429, retryAfterSeconds: 0 });
    expect(await tracker.listStatuses()).toHaveLength(8);
  });
});

describe('publishVersion on ShotGrid', () => {
  async function publishOnce(key: string) {
    const thumbnail = path.join(dir, 'thumb.png');
    await writeFile(thumbnail, Buffer.from('89504e470d0a1a0a', 'hex'));
    return tracker.publishVersion({
      taskId: await taskIdOf(tracker, 'scd/0010/0010/cleanup'),
      asset: 'scd_0010_0010_cleanup',
      idempotencyKey: key,
      authorId: await userIdOf(tracker, EMMA),
      components: [{ kind: 'sequence', name: 'exr', path: '/vol/scd/v001/plate.%04d.exr', frames: { start: 1001, end: 1100, padding: 4 } }],
      thumbnail,
      comment: 'Boom mic removed.',
      timeSpent: 3600,
      status: 'Pending review',
    });
  }

  it('makes the Version, PublishedFile, Note and TimeLog as the vendor person, with frames and paths', async () => {
    const result = await publishOnce('k1');
    const version = await tracker.client.read('Version', Number(result.id), ['code', 'created_by', 'user', 'sg_first_frame', 'sg_last_frame', 'sg_path_to_frames', 'sg_task', 'entity', 'image', 'sg_handoff_key']);
    expect(version).toMatchObject({
      code: 'scd_0010_0010_cleanup_v001',
      created_by: { type: 'HumanUser', name: 'Emma Compers' },
      user: { type: 'HumanUser' },
      sg_first_frame: 1001,
      sg_last_frame: 1100,
      sg_path_to_frames: '/vol/scd/v001/plate.%04d.exr',
      sg_task: { type: 'Task', id: Number(result.taskId) },
      entity: { type: 'Shot' },
      sg_handoff_key: 'k1',
    });
    expect(version?.['image']).toBeTruthy();
    const [file] = await tracker.client.findAll('PublishedFile', [['version', 'is', { type: 'Version', id: Number(result.id) }]], { fields: ['name', 'published_file_type', 'version_number', 'created_by'] });
    expect(file).toMatchObject({ name: 'exr', version_number: 1, published_file_type: { name: 'Rendered Image' }, created_by: { type: 'HumanUser' } });
    const [log] = await tracker.client.findAll('TimeLog', [['sg_handoff_key', 'is', 'k1']], { fields: ['duration', 'user'] });
    expect(log).toMatchObject({ duration: 60, user: { type: 'HumanUser' } });
  });

  it('finishes a publish that stopped after its Version: the missing records once, nothing twice', async () => {
    const first = await publishOnce('k2');
    // As if the run had stopped right after creating the Version: key pending, nothing else made.
    const actor = { user: { type: 'ApiUser', id: 1 }, sessionUuid: null };
    for (const type of ['PublishedFile', 'Note', 'TimeLog']) {
      for (const row of emulator.site.table.scan(type).filter((r) => r.fields['sg_handoff_key'] === 'k2')) emulator.site.records.retire(type, row.id, actor);
    }
    await tracker.client.update('Version', Number(first.id), { sg_handoff_key: 'pending:k2' });
    await tracker.setTaskStatus(first.taskId, 'In progress');

    const again = await publishOnce('k2');
    expect(again).toMatchObject({ id: first.id, version: 1, created: false, components: [{ name: 'exr' }] });
    const keyed = (type: string) => tracker.client.findAll(type, [['sg_handoff_key', 'in', ['k2', 'pending:k2']]], { fields: ['sg_handoff_key'] });
    expect((await keyed('Version')).map((v) => v['sg_handoff_key'])).toEqual(['k2']);
    expect(await keyed('PublishedFile')).toHaveLength(1);
    expect(await keyed('Note')).toHaveLength(1);
    expect(await keyed('TimeLog')).toHaveLength(1);
    const [resolved] = await tracker.resolveTasks([first.taskId]);
    expect(resolved?.ok && resolved.context.task.status.name).toBe('Pending review');

    expect(await publishOnce('k2')).toEqual({ ...again, created: false });
    expect(await keyed('Note')).toHaveLength(1);
  });
});

describe('a create whose answer is lost', () => {
  it('is looked up by its key instead of being sent again, and the publish is finished', async () => {
    let lost = 0;
    const losing: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (init?.method === 'POST' && new URL(String(input)).pathname === '/api/v1/entity/Version' && lost++ === 0) {
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
      }
      return response;
    };
    const flaky = createShotgridTracker({ siteUrl: emulator.url, scriptName: emulator.scriptName, scriptKey: emulator.scriptKey, retryDelayMs: 5, fetch: losing });
    const taskId = await taskIdOf(flaky, 'scd/0010/0010/cleanup');
    const result = await flaky.publishVersion({ taskId, asset: 'scd_0010_0010_cleanup', idempotencyKey: 'lost', comment: 'once', components: [{ kind: 'file', name: 'nk', path: '/vol/a.nk' }] });
    expect(lost).toBe(1);
    expect(result).toMatchObject({ version: 1, components: [{ name: 'nk' }] });
    const versions = await tracker.client.findAll('Version', [['sg_handoff_key', 'in', ['lost', 'pending:lost']]], { fields: ['sg_handoff_key'] });
    expect(versions.map((v) => [v.id, v['sg_handoff_key']])).toEqual([[Number(result.id), 'lost']]);
    expect(await tracker.listNotes({ kind: 'version', id: result.id })).toHaveLength(1);
  });
});

describe('errors', () => {
  it('names the entity types that lack the key field, before writing anything', async () => {
    const bare = await startShotgridEmulator({ seed: 'demo' });
    const plain = createShotgridTracker({ siteUrl: bare.url, scriptName: bare.scriptName, scriptKey: bare.scriptKey });
    try {
      const taskId = await taskIdOf(plain, 'scd/0010/0010/cleanup');
      const err = await plain.publishVersion({ taskId, asset: 'a', idempotencyKey: 'k', components: [] }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'SHOTGRID_FIELD_MISSING', details: { entityTypes: ['Version', 'PublishedFile', 'Note', 'TimeLog'] } });
      expect(await plain.listVersions(taskId)).toEqual([]);
    } finally {
      await plain.close();
      await bare.close();
    }
  });

  it('reports a wrong script key as SHOTGRID_AUTH_FAILED naming the script', async () => {
    const wrong = createShotgridTracker({ siteUrl: emulator.url, scriptName: emulator.scriptName, scriptKey: 'not-the-key' });
    const err = await wrong.listStatuses().catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'SHOTGRID_AUTH_FAILED' });
    expect((err as Error).message).toContain(`script ${emulator.scriptName}`);
  });

  it('refuses options without credentials, naming them', () => {
    expect(() => createShotgridTracker({ siteUrl: 'https://x.example' })).toThrow(expect.objectContaining({ code: 'SHOTGRID_OPTIONS_INVALID', message: expect.stringContaining('scriptKey') }));
  });
});
