import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBJECT_TYPE_IDS } from '../../../../lib/emulators/ftrack/index.ts';
import { rejection, startWithSession, type EmulatorFixture } from './fixture.ts';

let fx: EmulatorFixture;
beforeAll(async () => {
  fx = await startWithSession();
});
afterAll(() => fx.close());

const names = (data: { name?: unknown }[]) => data.map((row) => row.name).sort();

/** The first row of a query's answer; fails when there is none. */
async function first(expression: string) {
  const [row] = (await fx.session.query(expression)).data;
  if (!row) throw new Error(`no row for ${expression}`);
  return row;
}

describe('ftrack emulator queries through @ftrack/api', () => {
  it('starts a session: server information and schemas with primary keys', async () => {
    const info = await fx.session.getServerInformation();
    expect(info.is_timezone_support_enabled).toBe(true);
    const schemas = await fx.session.getSchemas();
    const byId = new Map(schemas.map((s) => [s.id, s]));
    expect(byId.get('Task')?.primary_key).toEqual(['id']);
    expect(byId.get('Metadata')?.primary_key).toEqual(['parent_id', 'key']);
    expect(byId.get('ContextCustomAttributeValue')?.primary_key).toEqual(['configuration_id', 'entity_id']);
    expect(fx.session.getPrimaryKeyAttributes('AssetVersion')).toEqual(['id']);
    const task = byId.get('Task') as unknown as { properties: Record<string, Record<string, unknown>>; default_projections: string[]; alias_for: unknown };
    expect(task.default_projections).toEqual(['context_type', 'id', 'name']);
    expect(task.alias_for).toEqual({ id: 'Task', classifiers: { object_typeid: OBJECT_TYPE_IDS.Task } });
    expect(task.properties.id).toEqual({ type: 'string', default: '{uid}' });
    expect(task.properties.parent).toEqual({ $ref: 'Context' });
    expect(task.properties.ancestors).toEqual({ type: 'array', items: { $ref: 'TypedContext' } });
    expect(task.properties.custom_attributes).toMatchObject({ type: 'mapped_array', key_value_attributes: { key: 'key', value: 'value' } });
    expect(task.properties.start_date).toEqual({ type: 'string', format: 'date-time' });
  });

  it('answers the assigned-tasks pipeline query with nested paths and custom attributes', async () => {
    const { data } = await fx.session.query(
      'select id, name, parent.name, project.name, custom_attributes from Task where project.name is "scd" and assignments any (resource.username is "emma@compersinc.example")',
    );
    expect(names(data)).toEqual(['cleanup', 'roto']);
    for (const task of data) {
      expect(task.__entity_type__).toBe('Task');
      expect(task.project.name).toBe('scd');
      expect(task.parent.__entity_type__).toBe('Shot');
      expect(task.custom_attributes.map((a: { key: string }) => a.key)).toEqual(['fps']);
    }
    const shot = await first('select name, custom_attributes from Shot where parent.name is "0010" and project.name is "scd" order by name');
    const values = Object.fromEntries(shot.custom_attributes.map((a: { key: string; value: unknown }) => [a.key, a.value]));
    expect(values).toEqual({ fps: null, fstart: 1001, fend: 1100, handles: 8 });
  });

  it('spans subtypes for TypedContext and Context and returns the concrete type', async () => {
    const { data } = await fx.session.query('select name, object_type_id from TypedContext where project.name is "mtn"');
    expect(data.map((row) => row.__entity_type__).sort()).toEqual(['Sequence', 'Shot', 'Task']);
    const shot = data.find((row) => row.__entity_type__ === 'Shot');
    expect(shot?.object_type_id).toBe(OBJECT_TYPE_IDS.Shot);
    const contexts = await fx.session.query('select name from Context where name is "mtn"');
    expect(contexts.data.map((row) => row.__entity_type__)).toEqual(['Project']);
  });

  it('orders, pages in either clause order and reports the next offset', async () => {
    const all = await fx.session.query('select name from Task order by name descending, id');
    expect(all.data.map((r) => r.name)).toEqual(['roto', 'compositing', 'cleanup', 'cleanup', 'cleanup']);
    const first = await fx.session.query('select name from Task order by name desc limit 2');
    expect(first.data.map((r) => r.name)).toEqual(['roto', 'compositing']);
    expect(first.metadata?.next.offset).toBe(2);
    const last = await fx.session.query('select name from Task order by name desc offset 4 limit 2');
    expect(last.data).toHaveLength(1);
    expect(last.metadata?.next.offset).toBeNull();
    const swapped = await fx.session.query('select name from Task order by name desc limit 2 offset 2');
    expect(swapped.data.map((r) => r.name)).toEqual(['cleanup', 'cleanup']);
    expect(swapped.metadata?.next.offset).toBe(4);
  });

  it('filters with like, in, not_in, not, or, has, comparisons, none and booleans', async () => {
    const q = async (where: string, type = 'Task') => names((await fx.session.query(`select name from ${type} where ${where}`)).data);
    expect(await q('name like "%comp%"')).toEqual(['compositing']);
    expect(await q('name not_like "c%"')).toEqual(['roto']);
    expect(await q('name in ("roto", compositing)')).toEqual(['compositing', 'roto']);
    expect(await q('project.name is "scd" and name not_in (cleanup)')).toEqual(['compositing', 'roto']);
    expect(await q('not (name is cleanup or name is roto)')).toEqual(['compositing']);
    expect(await q('status has (name is "Ready to start") and project.name is scd')).toEqual(['cleanup', 'roto']);
    expect(await q('status.name is_not "Ready to start"')).toEqual(['cleanup', 'compositing']);
    expect(await q('status.state.short is NOT_STARTED')).toEqual(['cleanup', 'cleanup', 'cleanup', 'compositing', 'roto']);
    expect(await q('custom_attributes any (key is fend and value >= 1060)', 'Shot')).toEqual(['0010', '0010']);
    expect(await q('custom_attributes any (key is fend and value < 1030)', 'Shot')).toEqual(['0010']);
    expect(await q('parent_id is none', 'Context')).toEqual(['mtn', 'scd']);
    expect(await q('assignments any ()')).toEqual(['cleanup', 'cleanup', 'compositing', 'roto']);
    expect(await q('not assignments any ()')).toEqual(['cleanup']);
    const users = await fx.session.query('select username from User where is_active is true and email like "%@compersinc.example"');
    expect(users.data.map((u) => u.username)).toEqual(['emma@compersinc.example']);
  });

  it('takes bare uuids and subqueries', async () => {
    const emma = await first('select id from User where username is "emma@compersinc.example"');
    const { data } = await fx.session.query(
      `select name from Task where id in (select context_id from Appointment where resource_id is ${emma.id}) and project.name is mtn`,
    );
    expect(names(data)).toEqual(['cleanup']);
  });

  it('uses default projections without select, plus keys and system projections', async () => {
    const task = await first('Task where name is roto');
    expect(Object.keys(task).sort()).toEqual(['__entity_type__', 'context_type', 'id', 'name', 'object_type_id', 'project_id']);
  });

  it('returns reference stubs for bare relations and decodes datetimes', async () => {
    const task = await first('select status, created_at, link from Task where name is roto');
    expect(Object.keys(task.status).sort()).toEqual(['__entity_type__', 'id']);
    expect(task.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z$/);
    expect(task.link.map((l: { name: string }) => l.name)).toEqual(['scd', '0010', '0020', 'roto']);
  });

  it('answers bad queries with the server validation error', async () => {
    for (const expression of ['select name from Task where', 'select nope from Task', 'select name from Nothing', 'select name from Task where parent.nope is 1']) {
      const error = await rejection(fx.session.query(expression));
      expect(error.name, expression).toBe('ServerValidationError');
    }
  });
});

describe('ftrack emulator groups', () => {
  it('seeds groups and memberships from the studio seed', async () => {
    const { data } = await fx.session.query('select user.username, group.name from Membership where group.name is "Compers Inc"');
    expect(data.map((m) => m.user.username)).toEqual(['emma@compersinc.example']);
    const groups = await fx.session.query('select name, memberships.user.username from Group order by name');
    expect(groups.data.map((g) => g.name)).toEqual(['Artists', 'Compers Inc', 'Coordinators', 'Pipeline']);
    const resources = await fx.session.query('select resource_type from Resource');
    expect(new Set(resources.data.map((r) => `${r.__entity_type__}:${r.resource_type}`))).toEqual(new Set(['User:user', 'Group:group']));
  });
});
