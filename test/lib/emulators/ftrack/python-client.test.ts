/**
 * The operation sequences the official ftrack Python client sends, as raw
 * JSON over HTTP: a note created and linked to its parent in one batch, and a
 * component whose upload URL is asked for before its create is committed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_LOCATION_ID } from '../../../../lib/emulators/ftrack/index.ts';
import { startWithSession, type EmulatorFixture } from './fixture.ts';

let fx: EmulatorFixture;
beforeAll(async () => {
  fx = await startWithSession();
});
afterAll(() => fx.close());

/* eslint-disable @typescript-eslint/no-explicit-any -- raw wire answers, read as the Python client reads them */
async function call(operations: unknown[]): Promise<{ status: number; body: any }> {
  const response = await fetch(`${fx.emulator.url}/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'ftrack-user': fx.emulator.user, 'ftrack-api-key': fx.emulator.apiKey },
    body: JSON.stringify(operations),
  });
  return { status: response.status, body: await response.json() };
}

async function first(expression: string): Promise<any> {
  const { status, body } = await call([{ action: 'query', expression }]);
  expect(status).toBe(200);
  return body[0].data[0];
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const ref = (type: string, id: string) => ({ __entity_type__: type, id });

describe('ftrack emulator under the Python client sequences', () => {
  it('accepts task.create_note: a Note created without a parent, then appended to the task notes', async () => {
    const task = await first('select id, notes from Task');
    const userId = String((await first(`select id from User where username is "${fx.emulator.user}"`)).id);
    const noteId = randomUUID();
    const existing = (task.notes as { id: string }[]).map((n) => ref('Note', n.id));
    const { status, body } = await call([
      { action: 'create', entity_type: 'Note', entity_key: [noteId], entity_data: { __entity_type__: 'Note', id: noteId, content: 'Please fix the edge.', author: ref('User', userId) } },
      { action: 'update', entity_type: 'Task', entity_key: [task.id], entity_data: { __entity_type__: 'Task', notes: [...existing, ref('Note', noteId)] } },
    ]);
    expect(status, JSON.stringify(body)).toBe(200);
    const note = await first(`select parent_id, parent_type, user_id, content from Note where id is "${noteId}"`);
    expect(note).toMatchObject({ parent_id: task.id, parent_type: 'TypedContext', user_id: userId, content: 'Please fix the edge.' });
    const notes = (await first(`select notes from Task where id is "${task.id}"`)).notes as { id: string }[];
    expect(notes.map((n) => n.id)).toContain(noteId);
  });

  it('still refuses, atomically, a Note no operation of the batch gives a parent', async () => {
    const noteId = randomUUID();
    const { status, body } = await call([
      { action: 'create', entity_type: 'Note', entity_key: [noteId], entity_data: { __entity_type__: 'Note', id: noteId, content: 'orphan' } },
    ]);
    expect(status).toBe(422);
    expect(body.content).toContain('Missing required attributes for Note: parent_id');
    expect(await first(`select id from Note where id is "${noteId}"`)).toBeUndefined();
  });

  it('accepts version.create_component to ftrack.server: upload URL first, create committed after, then served', async () => {
    const shot = await first('select id from Shot');
    const asset = await fx.session.create('Asset', { name: `comp-${randomUUID().slice(0, 8)}`, context_id: shot.id });
    const versionId = String((await fx.session.create('AssetVersion', { asset_id: asset.data.id })).data.id);
    const id = randomUUID();
    const bytes = Buffer.from('comp v003 notes\n');
    const meta = await call([{ action: 'get_upload_metadata', component_id: id, file_name: 'main.txt', file_size: bytes.length, checksum: null }]);
    expect(meta.status, JSON.stringify(meta.body)).toBe(200);
    expect(meta.body[0].component_id).toBe(id);
    const { 'Content-Length': _length, ...headers } = meta.body[0].headers as Record<string, string>;
    expect((await fetch(meta.body[0].url, { method: 'PUT', headers, body: new Uint8Array(bytes) })).status).toBe(200);
    const url = `${fx.emulator.url}/component/get?id=${id}&username=${fx.emulator.user}&apiKey=${fx.emulator.apiKey}`;
    expect((await fetch(url)).status).toBe(404);
    const commit = await call([
      { action: 'create', entity_type: 'FileComponent', entity_key: [id], entity_data: { __entity_type__: 'FileComponent', id, name: 'main', file_type: '.txt', size: bytes.length, version_id: versionId } },
      {
        action: 'create',
        entity_type: 'ComponentLocation',
        entity_data: { __entity_type__: 'ComponentLocation', component: ref('FileComponent', id), location: ref('Location', SERVER_LOCATION_ID), resource_identifier: id },
      },
      { action: 'update', entity_type: 'AssetVersion', entity_key: [versionId], entity_data: { __entity_type__: 'AssetVersion', thumbnail_id: id } },
    ]);
    expect(commit.status, JSON.stringify(commit.body)).toBe(200);
    const served = await fetch(url);
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(bytes)).toBe(true);
    expect((await first(`select thumbnail_id from AssetVersion where id is "${versionId}"`)).thumbnail_id).toBe(id);
  });

  it('refuses an upload URL for an id that belongs to something other than a component', async () => {
    const taskId = String((await first('select id from Task')).id);
    const { status, body } = await call([{ action: 'get_upload_metadata', component_id: taskId, file_name: 'x.txt', file_size: 1, checksum: null }]);
    expect(status).toBe(422);
    expect(body.content).toContain('is not a component');
  });
});
