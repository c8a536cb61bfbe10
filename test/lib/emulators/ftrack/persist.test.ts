import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../../lib/core/errors.ts';
import { SERVER_LOCATION_ID, startFtrackEmulator } from '../../../../lib/emulators/ftrack/index.ts';
import { startWithSession } from './fixture.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-ftrack-persist-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('ftrack emulator persistence', () => {
  it('keeps entities and uploaded bytes across restarts', async () => {
    const file = path.join(dir, 'studio.json');
    const first = await startWithSession({ persist: file });
    const [task] = (await first.session.query('select id from Task where name is roto')).data;
    const note = await first.session.create('Note', { parent_id: task?.id, content: 'kept across restarts' });
    const componentId = crypto.randomUUID();
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const [, target] = (await first.session.call([
      { action: 'create', entity_type: 'FileComponent', entity_data: { id: componentId, name: 'kept', file_type: '.bin', size: 5, __entity_type__: 'FileComponent' } },
      { action: 'get_upload_metadata', file_name: 'kept.bin', file_size: 5, component_id: componentId, parts: null },
    ])) as [unknown, { url: string }];
    await fetch(target.url, { method: 'PUT', body: bytes });
    await first.session.create('ComponentLocation', { component_id: componentId, location_id: SERVER_LOCATION_ID, resource_identifier: componentId });
    await first.close();

    const second = await startWithSession({ persist: file, seed: undefined });
    const { data } = await second.session.query(`select content, author.username from Note where id is "${note.data.id}"`);
    expect(data[0]).toMatchObject({ content: 'kept across restarts', author: { username: second.emulator.user } });
    expect((await second.session.query('select id from Task')).data).toHaveLength(5);
    const download = await fetch(second.session.getComponentUrl(componentId) ?? '');
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);
    await second.close();
  });

  it('refuses a file that is not a saved store', async () => {
    const file = path.join(dir, 'broken.json');
    await writeFile(file, '{"hello": "world"}');
    const error = await startFtrackEmulator({ persist: file }).catch((err: unknown) => err);
    expect(isHandoffError(error, 'FTRACK_EMULATOR_PERSIST_FAILED')).toBe(true);
  });

  it('reports a busy port as PORT_IN_USE', async () => {
    const running = await startFtrackEmulator();
    const port = Number(new URL(running.url).port);
    const error = await startFtrackEmulator({ port }).catch((err: unknown) => err);
    expect(isHandoffError(error, 'PORT_IN_USE')).toBe(true);
    await running.close();
  });
});
