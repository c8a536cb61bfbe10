import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARRAY, startRest, tokenFor, type RestFixture, type Wire } from './fixture.ts';

let f: RestFixture;
beforeAll(async () => {
  f = await startRest();
});
afterAll(() => f.close());

const project = { type: 'Project', id: 1 };

async function eventsAfter(id: number): Promise<Wire[]> {
  const found = await f.call('POST', '/entity/event_log_entries/_search', { filters: [['id', 'greater_than', id]], fields: 'event_type,attribute_name,meta,entity,user,project,session_uuid,created_at' }, ARRAY);
  return found.body.data;
}

async function lastEventId(): Promise<number> {
  const last = await f.call('GET', '/entity/event_log_entries?sort=-id&page[size]=1&fields=id');
  return last.body.data[0]?.id ?? 0;
}

describe('ShotGrid emulator REST: writes', () => {
  it('creates with 201, server defaults and create-style timestamps; only project is required', async () => {
    const created = await f.call('POST', '/entity/shots', { project, sg_sequence: { type: 'Sequence', id: 1 } });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ type: 'Shot', attributes: { code: `New Shot ${created.body.data.id}`, sg_status_list: 'wtg' } });
    expect(created.body.data.attributes.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    expect(created.body.data.relationships.created_by.data).toMatchObject({ type: 'ApiUser', name: 'handoff' });
    const read = await f.call('GET', `/entity/shots/${created.body.data.id}?fields=created_at`);
    expect(read.body.data.attributes.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);

    const noProject = await f.call('POST', '/entity/shots', { code: 'x' });
    expect(noProject.body.errors[0]).toMatchObject({ status: 400, source: { project: 'is missing' } });
    const empty = await f.call('POST', '/entity/shots', { project, code: '' });
    expect(empty.body.errors[0]).toMatchObject({ status: 400, code: 104, title: 'Cannot set identifier field to empty' });
    const bareInt = await f.call('POST', '/entity/versions', { project, entity: 5 });
    expect(bareInt.body.errors[0].title).toBe('Version.entity expected [Hash, NilClass] but got Integer');
    const badStatus = await f.call('POST', '/entity/tasks', { project, sg_status_list: 'nope' });
    expect(badStatus.body.errors[0].title).toContain("value 'nope' is not a valid value");
    const plainSearchType = await f.call('POST', '/entity/shots', { project }, ARRAY);
    expect(plainSearchType.status).toBe(415);
  });

  it('updates partially, with multi-entity add/remove/set, and a write of [] clears', async () => {
    const base = await f.call('POST', '/entity/versions', { project, code: 'v001', tasks: [{ type: 'Task', id: 1 }] });
    const id = base.body.data.id;
    const added = await f.call('PUT', `/entity/versions/${id}`, { tasks: { multi_entity_update_mode: 'add', value: [{ type: 'Task', id: 2 }] }, description: 'first' });
    expect(added.status).toBe(200);
    expect(added.body.data.relationships.tasks.data.map((t: Wire) => t.id)).toEqual([1, 2]);
    const removed = await f.call('PUT', `/entity/versions/${id}`, { tasks: { multi_entity_update_mode: 'remove', value: [{ type: 'Task', id: 1 }] } });
    expect(removed.body.data.relationships.tasks.data.map((t: Wire) => t.id)).toEqual([2]);
    expect(removed.body.data.attributes.description).toBe('first');
    const nulled = await f.call('PUT', `/entity/versions/${id}`, { tasks: null });
    expect(nulled.status).toBe(400);
    const cleared = await f.call('PUT', `/entity/versions/${id}`, { tasks: [] });
    expect(cleared.body.data.relationships.tasks.data).toEqual([]);
    const when = await f.call('PUT', `/entity/versions/${id}`, { sg_first_frame: 1001 });
    expect(when.body.data.attributes.sg_first_frame).toBe(1001);
    const spaced = await f.call('PUT', '/entity/tasks/1', { due_date: '2026-03-04 05:06:07' });
    expect(spaced.status).toBe(400);
  });

  it('retires with 204, 404s a second delete and plain reads, reads it with return_only=retired, revives it', async () => {
    const made = await f.call('POST', '/entity/notes', { project, content: 'gone soon' });
    const id = made.body.data.id;
    expect((await f.call('DELETE', `/entity/notes/${id}`)).status).toBe(204);
    const again = await f.call('DELETE', `/entity/notes/${id}`);
    expect(again.status).toBe(404);
    expect(again.body.errors[0]).toMatchObject({ code: 104, detail: `Entity of type [Note] with id=${id} does not exist.` });
    expect((await f.call('GET', `/entity/notes/${id}`)).status).toBe(404);
    expect((await f.call('GET', `/entity/notes/${id}?options[return_only]=retired&fields=content`)).body.data.attributes.content).toBe('gone soon');
    expect((await f.call('POST', `/entity/notes/${id}`)).body.errors[0].title).toBe('revive is missing');
    expect((await f.call('POST', `/entity/notes/${id}?revive=true`)).body).toMatchObject({ data: { type: 'Note', id }, meta: { did_revive: true } });
    expect((await f.call('POST', `/entity/notes/${id}?revive=1`)).body.meta).toEqual({ did_revive: false });
  });

  it('runs _batch atomically: one failure keeps nothing of the others', async () => {
    const before = (await f.call('GET', '/entity/shots?fields=id&page[size]=5000')).body.data.length;
    const failed = await f.call('POST', '/entity/_batch', {
      requests: [
        { request_type: 'create', entity: 'Shot', data: { project, code: 'b1' } },
        { request_type: 'update', entity: 'Shot', record_id: 1, data: { description: 'batched' } },
        { request_type: 'update', entity: 'Shot', record_id: 9999, data: { description: 'nope' } },
      ],
    });
    expect(failed.status).toBe(404);
    expect((await f.call('GET', '/entity/shots?fields=id&page[size]=5000')).body.data.length).toBe(before);
    expect((await f.call('GET', '/entity/shots/1?fields=description')).body.data.attributes.description).toBeNull();

    const ok = await f.call('POST', '/entity/_batch', {
      requests: [
        { request_type: 'create', entity: 'Shot', data: { project, code: 'b2' } },
        { request_type: 'update', entity: 'shots', record_id: 1, data: { description: 'batched' } },
      ],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.data[0].data).toMatchObject({ type: 'Shot', attributes: { code: 'b2' } });
    const del = await f.call('POST', '/entity/_batch', { requests: [{ request_type: 'delete', entity: 'Shot', record_id: ok.body.data[0].data.id }] });
    expect(del.body.data[0]).toEqual({ request_type: 'delete', type: 'Shot', id: ok.body.data[0].data.id, did_delete: true });
  });

  it('keeps paired link fields in step on both sides (Task.entity and Shot.tasks, Group.users and HumanUser.groups)', async () => {
    expect((await f.call('GET', '/entity/sequences/1?fields=shots')).body.data.relationships.shots.data.map((s: Wire) => s.id)).toEqual(expect.arrayContaining([1, 2]));
    const task = await f.call('POST', '/entity/tasks', { project, content: 'track', entity: { type: 'Shot', id: 3 } });
    const tasksOf = async (shot: number) => (await f.call('GET', `/entity/shots/${shot}?fields=tasks`)).body.data.relationships.tasks.data.map((t: Wire) => t.id);
    expect(await tasksOf(3)).toContain(task.body.data.id);
    await f.call('PUT', `/entity/tasks/${task.body.data.id}`, { entity: { type: 'Shot', id: 4 } });
    expect(await tasksOf(3)).not.toContain(task.body.data.id);
    expect(await tasksOf(4)).toContain(task.body.data.id);
    await f.call('PUT', '/entity/groups/1', { users: { multi_entity_update_mode: 'add', value: [{ type: 'HumanUser', id: 4 }] } });
    const finn = await f.call('GET', '/entity/human_users/4?fields=groups');
    expect(finn.body.data.relationships.groups.data.map((g: Wire) => g.name)).toEqual(['Artists', 'Pipeline']);
  });

  it('serves the schema with {value, editable} leaves and adds custom fields', async () => {
    const all = await f.call('GET', '/schema');
    expect(all.body.data.Shot).toEqual({ name: { value: 'Shot', editable: false }, visible: { value: true, editable: false } });
    const fields = await f.call('GET', '/schema/Task/fields');
    expect(fields.body.data.sg_status_list.data_type.value).toBe('status_list');
    expect(fields.body.data.sg_status_list.properties.valid_values.value).toEqual(expect.arrayContaining(['wtg', 'rdy', 'osr']));
    expect(fields.body.data.entity.properties.valid_types.value).toContain('Shot');
    const one = await f.call('GET', '/schema/versions/fields/sg_uploaded_movie');
    expect(one.body.data.data_type.value).toBe('url');
    const made = await f.call('POST', '/schema/Version/fields', { data_type: 'text', properties: [{ property_name: 'name', value: 'Handoff Key' }] });
    expect(made.status).toBe(201);
    expect((await f.call('PUT', '/entity/versions/1', { sg_handoff_key: 'k-1' })).body.data.attributes.sg_handoff_key).toBe('k-1');
  });
});

describe('ShotGrid emulator REST: the event log', () => {
  it('logs a create as New plus in_create changes, an update as Change with old/new, retire and revive', async () => {
    const start = await lastEventId();
    const made = await f.call('POST', '/entity/tasks', { project, content: 'paint', entity: { type: 'Shot', id: 1 }, task_assignees: [{ type: 'HumanUser', id: 3 }] });
    const id = made.body.data.id;
    await f.call('PUT', `/entity/tasks/${id}`, { sg_status_list: 'ip', task_assignees: [{ type: 'HumanUser', id: 4 }] });
    await f.call('DELETE', `/entity/tasks/${id}`);
    await f.call('POST', `/entity/tasks/${id}?revive=true`);
    const events = await eventsAfter(start);
    expect(events.map((e) => `${e.attributes.event_type}:${e.attributes.attribute_name ?? ''}`)).toEqual([
      'Shotgun_Task_New:',
      'Shotgun_Task_Change:project',
      'Shotgun_Task_Change:content',
      'Shotgun_Task_Change:entity',
      'Shotgun_Task_Change:task_assignees',
      'Shotgun_Task_Change:sg_status_list',
      'Shotgun_Task_Change:task_assignees',
      'Shotgun_Task_Retirement:',
      'Shotgun_Task_Revival:',
    ]);
    const status = events[5];
    expect(status.attributes.meta).toEqual({ type: 'attribute_change', attribute_name: 'sg_status_list', entity_type: 'Task', entity_id: id, field_data_type: 'status_list', old_value: 'wtg', new_value: 'ip' });
    expect(status.relationships.entity.data).toEqual({ type: 'Task', id, name: 'paint' });
    expect(status.relationships.project.data).toMatchObject(project);
    expect(status.relationships.user.data).toMatchObject({ type: 'ApiUser', name: 'handoff' });
    expect(events[1].attributes.meta.in_create).toBe(true);
    expect(events[6].attributes.meta).toMatchObject({ added: [{ type: 'HumanUser', id: 4, name: 'Finn Artist' }], removed: [{ type: 'HumanUser', id: 3, name: 'Emma Compers' }] });
    expect(events[7].attributes.meta).toMatchObject({ type: 'entity_retirement', entity_id: id });
  });

  it('attributes writes under sudo_as_login to that user, with the session uuid, and can filter by event_type', async () => {
    const start = await lastEventId();
    const sudo = await tokenFor(f.emulator.url, { grant_type: 'client_credentials', client_id: 'handoff', client_secret: 'test-key', scope: 'sudo_as_login:emma@compersinc.example', session_uuid: '3f1d0c7e-7d1c-4a8b-9f00-000000000001' });
    await fetch(`${f.emulator.url}/api/v1/entity/tasks/1`, { method: 'PUT', headers: { authorization: `Bearer ${sudo.body.access_token}`, 'content-type': 'application/json' }, body: JSON.stringify({ sg_status_list: 'rev' }) });
    const found = await f.call('POST', '/entity/event_log_entries/_search', { filters: [['id', 'greater_than', start], ['event_type', 'is', 'Shotgun_Task_Change']], fields: 'user,session_uuid,meta' }, ARRAY);
    expect(found.body.data).toHaveLength(1);
    expect(found.body.data[0].relationships.user.data).toEqual({ type: 'HumanUser', id: 3, name: 'Emma Compers' });
    expect(found.body.data[0].attributes.session_uuid).toBe('3f1d0c7e-7d1c-4a8b-9f00-000000000001');
    const task = await f.call('GET', '/entity/tasks/1?fields=updated_by');
    expect(task.body.data.relationships.updated_by.data.name).toBe('Emma Compers');
    const refused = await f.call('PUT', `/entity/event_log_entries/${start + 1}`, { description: 'rewritten' });
    expect(refused.status).toBe(400);
  });
});
