/**
 * The JSON-RPC protocol of shotgun_api3, with the payload shapes that client
 * sends (see docs/emulators.md): `{method_name, params: [auth, args]}` over
 * POST /api3/json, answered `{results}` or HTTP 200 `{exception, message, error_code}`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShotgridEmulator, type ShotgridEmulator } from '../../../../lib/emulators/shotgrid/index.ts';
import type { Wire } from './fixture.ts';

let emulator: ShotgridEmulator;
const auth = { script_name: 'handoff', script_key: 'test-key' };

beforeAll(async () => {
  emulator = await startShotgridEmulator({ seed: 'demo', scriptKey: 'test-key', userPassword: 'pw' });
});
afterAll(() => emulator.close());

async function rpc(method: string, args?: unknown, credentials: Record<string, unknown> = auth): Promise<Wire> {
  const response = await fetch(`${emulator.url}/api3/json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'shotgun-json (3.10.0); Python 3.11 (Linux)' },
    body: JSON.stringify({ method_name: method, params: method === 'info' ? [] : args === undefined ? [credentials] : [credentials, args] }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return response.json();
}

const condition = (path: string, relation: string, ...values: unknown[]) => ({ path, relation, values });

describe('ShotGrid emulator JSON-RPC (/api3/json)', () => {
  it('answers info without auth: an integer version triple, page size and upload routing', async () => {
    const { results } = await rpc('info');
    expect(results.version).toEqual([8, 50, 0]);
    expect(results).toMatchObject({ api_max_entities_per_page: 500, s3_direct_uploads_enabled: true, s3_enabled_upload_types: { '*': ['*'] } });
  });

  it('reads with nested logical filters, dotted return fields, sorts and has_next_page paging', async () => {
    const filters = {
      logical_operator: 'and',
      conditions: [
        condition('project', 'is', { type: 'Project', id: 1, name: 'Something Completely Different' }),
        { logical_operator: 'or', conditions: [condition('sg_status_list', 'is', 'rdy'), condition('entity.Shot.code', 'starts_with', '002')] },
      ],
    };
    const page = (current: number) =>
      rpc('read', { type: 'Task', return_fields: ['content', 'entity', 'entity.Shot.code', 'created_at'], filters, return_only: 'active', paging: { entities_per_page: 1, current_page: current }, api_return_image_urls: true, return_paging_info_without_counts: true, sorts: [{ field_name: 'content', direction: 'desc' }] });
    const first = (await page(1)).results;
    expect(first.entities).toEqual([{ type: 'Task', id: 3, content: 'roto', entity: { type: 'Shot', id: 2, name: '0020' }, 'entity.Shot.code': '0020', created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) }]);
    expect(first.paging_info).toEqual({ has_next_page: true });
    const second = (await page(2)).results;
    expect(second.entities.map((e: Wire) => e.content)).toEqual(['cleanup']);
    expect(second.paging_info.has_next_page).toBe(false);
    const counted = await rpc('read', { type: 'Shot', return_fields: ['id'], filters: { logical_operator: 'and', conditions: [] }, paging: { entities_per_page: 500, current_page: 1 }, return_paging_info: true });
    expect(counted.results.paging_info).toEqual({ has_next_page: false, entity_count: 4 });
  });

  it('creates, updates with per-field multi-entity modes, deletes and revives', async () => {
    const project = { type: 'Project', id: 1 };
    const created = await rpc('create', { type: 'Version', fields: [{ field_name: 'project', value: project }, { field_name: 'code', value: 'v001' }, { field_name: 'tasks', value: [{ type: 'Task', id: 1 }] }], return_fields: ['sg_status_list', 'created_at'] });
    expect(created.results).toMatchObject({ type: 'Version', code: 'v001', sg_status_list: 'rev', project: { type: 'Project', id: 1, name: 'Something Completely Different' }, tasks: [{ type: 'Task', id: 1, name: 'cleanup' }] });
    const id = created.results.id;
    const updated = await rpc('update', { type: 'Version', id, fields: [{ field_name: 'tasks', value: [{ type: 'Task', id: 2 }], multi_entity_update_mode: 'add' }, { field_name: 'description', value: 'notes' }] });
    expect(updated.results).toEqual({ type: 'Version', id, description: 'notes', tasks: [{ type: 'Task', id: 1, name: 'cleanup' }, { type: 'Task', id: 2, name: 'compositing' }] });
    expect((await rpc('delete', { type: 'Version', id })).results).toBe(true);
    expect((await rpc('revive', { type: 'Version', id })).results).toBe(true);
    expect((await rpc('revive', { type: 'Version', id })).results).toBe(false);
  });

  it('runs batch as one transaction: results in order, nothing kept when one fails', async () => {
    const ok = await rpc('batch', [
      { request_type: 'create', type: 'Shot', fields: [{ field_name: 'project', value: { type: 'Project', id: 1 } }, { field_name: 'code', value: 'b1' }], return_fields: ['id'] },
      { request_type: 'update', type: 'Shot', id: 1, fields: [{ field_name: 'description', value: 'batched' }] },
    ]);
    expect(ok.results).toEqual([{ type: 'Shot', id: 5, project: { type: 'Project', id: 1, name: 'Something Completely Different' }, code: 'b1' }, { type: 'Shot', id: 1, description: 'batched' }]);
    const deleted = await rpc('batch', [{ request_type: 'delete', type: 'Shot', id: 5 }]);
    expect(deleted.results).toEqual([true]);
    const failed = await rpc('batch', [
      { request_type: 'create', type: 'Shot', fields: [{ field_name: 'project', value: { type: 'Project', id: 1 } }, { field_name: 'code', value: 'b2' }] },
      { request_type: 'delete', type: 'Shot', id: 999 },
    ]);
    expect(failed).toMatchObject({ exception: true, error_code: 104 });
    const b2 = await rpc('read', { type: 'Shot', return_fields: ['code'], filters: { logical_operator: 'and', conditions: [condition('code', 'is', 'b2')] }, paging: { entities_per_page: 10, current_page: 1 } });
    expect(b2.results.entities).toEqual([]);
  });

  it('summarizes and reads the schema in the {value, editable} shape', async () => {
    const summary = await rpc('summarize', { type: 'Task', summaries: [{ field: 'id', type: 'count' }], filters: { logical_operator: 'and', conditions: [condition('project', 'is', { type: 'Project', id: 1 })] }, grouping: [{ field: 'sg_status_list', type: 'exact', direction: 'asc' }] });
    expect(summary.results.summaries).toEqual({ id: 4 });
    expect(summary.results.groups.map((g: Wire) => [g.group_name, g.summaries.id])).toEqual([['rdy', 2], ['wtg', 2]]);
    const field = await rpc('schema_field_read', { type: 'Task', field_name: 'sg_status_list' });
    expect(field.results.sg_status_list).toMatchObject({ data_type: { value: 'status_list', editable: false }, properties: { default_value: { value: 'wtg', editable: true } } });
    const entities = await rpc('schema_entity_read');
    expect(entities.results.Version).toEqual({ name: { value: 'Version', editable: false }, visible: { value: true, editable: false } });
    const all = await rpc('schema_read');
    expect(Object.keys(all.results)).toEqual(expect.arrayContaining(['Project', 'Shot', 'Task', 'Version', 'PublishedFile', 'EventLogEntry', 'ActionMenuItem']));
    const made = await rpc('schema_field_create', { type: 'Version', data_type: 'text', properties: [{ property_name: 'name', value: 'Handoff Key' }] });
    expect(made.results).toBe('sg_handoff_key');
  });

  it('reports errors as HTTP 200 exceptions: 102 for authentication, others as faults', async () => {
    expect(await rpc('read', { type: 'Shot', return_fields: ['id'], filters: { logical_operator: 'and', conditions: [] } }, { script_name: 'handoff', script_key: 'wrong' })).toMatchObject({ exception: true, error_code: 102, message: "Can't authenticate script 'handoff'" });
    const relation = await rpc('read', { type: 'Shot', return_fields: ['id'], filters: { logical_operator: 'and', conditions: [condition('code', 'greater_than', 'x')] } });
    expect(relation).toMatchObject({ exception: true, error_code: 103 });
    expect(relation.message).toContain('Valid relations: is, is_not, contains');
    expect(await rpc('update', { type: 'Shot', id: 999, fields: [{ field_name: 'code', value: 'x' }] })).toMatchObject({ exception: true, error_code: 104 });
  });

  it('authenticates users and session tokens, and sudo_as_login attributes writes and events', async () => {
    const asUser = await rpc('read', { type: 'HumanUser', return_fields: ['login'], filters: { logical_operator: 'and', conditions: [condition('login', 'is', 'emma@compersinc.example')] }, paging: { entities_per_page: 1, current_page: 1 } }, { user_login: 'emma@compersinc.example', user_password: 'pw' });
    expect(asUser.results.entities).toEqual([{ type: 'HumanUser', id: 3, login: 'emma@compersinc.example' }]);
    const { results } = await rpc('get_session_token');
    expect(results.session_id).toMatch(/^[0-9a-f]{32}$/);
    expect((await rpc('read', { type: 'Shot', return_fields: ['id'], filters: { logical_operator: 'and', conditions: [] } }, { session_token: results.session_id, reject_if_expired: true })).results.entities).toHaveLength(4);

    await rpc('update', { type: 'Task', id: 1, fields: [{ field_name: 'sg_status_list', value: 'ip' }] }, { ...auth, sudo_as_login: 'emma@compersinc.example', session_uuid: 'u-1' });
    const events = await rpc('read', {
      type: 'EventLogEntry',
      return_fields: ['event_type', 'attribute_name', 'meta', 'entity', 'user', 'project', 'session_uuid', 'created_at'],
      filters: { logical_operator: 'and', conditions: [condition('event_type', 'is', 'Shotgun_Task_Change'), condition('entity', 'is', { type: 'Task', id: 1 })] },
      sorts: [{ field_name: 'id', direction: 'desc' }],
      paging: { entities_per_page: 1, current_page: 1 },
    });
    expect(events.results.entities[0]).toMatchObject({
      event_type: 'Shotgun_Task_Change',
      attribute_name: 'sg_status_list',
      meta: { type: 'attribute_change', old_value: 'rdy', new_value: 'ip', entity_type: 'Task', entity_id: 1 },
      user: { type: 'HumanUser', id: 3, name: 'Emma Compers' },
      project: { type: 'Project', id: 1 },
      session_uuid: 'u-1',
    });
    expect(await rpc('read', { type: 'Shot' }, { script_name: 'handoff', script_key: 'test-key', sudo_as_login: 'nobody' })).toMatchObject({ exception: true, error_code: 102 });
  });
});
