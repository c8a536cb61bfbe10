import { Session } from '@ftrack/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejection, startWithSession, type EmulatorFixture } from './fixture.ts';

let fx: EmulatorFixture;
beforeAll(async () => {
  fx = await startWithSession();
});
afterAll(() => fx.close());

async function one(expression: string) {
  const { data } = await fx.session.query(expression);
  expect(data, expression).toHaveLength(1);
  const [row] = data;
  if (!row) throw new Error(`no row for ${expression}`);
  return row;
}

describe('ftrack emulator writes through @ftrack/api', () => {
  it('creates with server defaults, updates and deletes a task', async () => {
    const shot = await one('select id, project_id from Shot where name is "0010" and parent.name is "0020"');
    const created = await fx.session.create('Task', { name: 'paint', parent_id: shot.id });
    expect(created.data).toMatchObject({
      __entity_type__: 'Task',
      name: 'paint',
      context_type: 'task',
      project_id: shot.project_id,
      priority_id: '9661b320-3a0c-11e2-81c1-0800200c9a66',
    });
    expect(created.data.status_id).toEqual(expect.any(String));
    const status = await one('select id from Status where name is "In progress"');
    await fx.session.update('Task', [created.data.id], { status_id: status.id, description: 'Paint out the rig' });
    const updated = await one(`select status.name, description from Task where id is "${created.data.id}"`);
    expect([updated.status.name, updated.description]).toEqual(['In progress', 'Paint out the rig']);
    await fx.session.delete('Task', created.data.id);
    expect((await fx.session.query(`select id from Task where id is "${created.data.id}"`)).data).toEqual([]);
  });

  it('numbers versions on the server and finds the latest', async () => {
    const task = await one('select id, parent_id from Task where name is "roto"');
    const assetType = await one('select id from AssetType where short is "comp"');
    const asset = await fx.session.create('Asset', { name: 'roto_main', context_id: task.parent_id, type_id: assetType.id });
    const numbers: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const version = await fx.session.create('AssetVersion', { asset_id: asset.data.id, task_id: task.id, comment: `take ${i}` });
      numbers.push(version.data.version);
    }
    expect(numbers).toEqual([1, 2, 3]);
    const latest = await fx.session.query(
      `select version, is_latest_version from AssetVersion where asset.parent.id is "${task.parent_id}" order by version descending limit 1`,
    );
    expect(latest.data[0]).toMatchObject({ version: 3, is_latest_version: true });
    const official = await fx.session.query('select version, asset.versions.version from AssetVersion where asset_id is_not None limit 1');
    expect(official.data[0]?.asset.versions.length).toBeGreaterThan(0);
    const viaAsset = await one(`select latest_version.version, versions.version from Asset where id is "${asset.data.id}"`);
    expect(viaAsset.latest_version.version).toBe(3);
    expect(viaAsset.versions.map((v: { version: number }) => v.version)).toEqual([1, 2, 3]);
  });

  it('applies a batch all or nothing', async () => {
    const shot = await one('select id from Shot where name is "0010" and project.name is "mtn"');
    const before = (await fx.session.query('select id from Asset')).data.length;
    const error = await rejection(
      fx.session.call([
        { action: 'create', entity_type: 'Asset', entity_data: { name: 'doomed', context_id: shot.id, __entity_type__: 'Asset' } },
        { action: 'create', entity_type: 'AssetVersion', entity_data: { asset_id: 'no-such-asset', __entity_type__: 'AssetVersion' } },
      ]),
    );
    expect(error.name).toBe('ServerValidationError');
    expect(error.message).toContain('asset_id');
    expect((await fx.session.query('select id from Asset')).data).toHaveLength(before);
    expect((await fx.session.query('select id from Asset where name is doomed')).data).toEqual([]);
  });

  it('lets later operations of a batch use ids created earlier', async () => {
    const shot = await one('select id from Shot where name is "0010" and project.name is "mtn"');
    const assetId = crypto.randomUUID();
    const [asset, version] = await fx.session.call([
      { action: 'create', entity_type: 'Asset', entity_data: { id: assetId, name: 'plate', context_id: shot.id, __entity_type__: 'Asset' } },
      { action: 'create', entity_type: 'AssetVersion', entity_data: { asset_id: assetId, __entity_type__: 'AssetVersion' } },
    ]);
    expect((asset as { data: { id: string } }).data.id).toBe(assetId);
    expect((version as { data: { version: number } }).data.version).toBe(1);
  });

  it('writes custom attributes through the value views and checks their type', async () => {
    const shot = await one('select id from Shot where name is "0010" and project.name is "mtn"');
    const config = await one('select id from CustomAttributeConfiguration where key is fstart');
    await fx.session.update('ContextCustomAttributeValue', [config.id, shot.id], { value: 990 });
    const read = await one(`select custom_attributes from Shot where id is "${shot.id}"`);
    const values = Object.fromEntries(read.custom_attributes.map((a: { key: string; value: unknown }) => [a.key, a.value]));
    expect(values.fstart).toBe(990);
    const error = await rejection(fx.session.update('ContextCustomAttributeValue', [config.id, shot.id], { value: 'soon' }));
    expect(error.name).toBe('ServerValidationError');
    const fps = await one('select id from CustomAttributeConfiguration where key is fps');
    await fx.session.create('CustomAttributeValue', { configuration_id: fps.id, entity_id: shot.id, value: 50 });
    const filtered = await fx.session.query('select name from Shot where custom_attributes any (key is fps and value is 50)');
    expect(filtered.data.map((s) => s.id)).toEqual([shot.id]);
  });

  it('refuses unknown attributes, immutable changes and missing required values', async () => {
    const task = await one('select id from Task where name is "roto"');
    const cases = [
      fx.session.update('Task', [task.id], { colour: 'red' }),
      fx.session.update('Task', [task.id], { object_type_id: 'x' }),
      fx.session.create('Appointment', { context_id: task.id }),
      fx.session.create('TypedContext', { name: 'abstract' }),
      fx.session.update('Task', ['no-such-id'], { name: 'x' }),
    ];
    for (const call of cases) expect((await rejection(call)).message).toMatch(/no attribute|immutable|Missing required|abstract|No Task/);
  });

  it('stores datetimes as UTC and filters on them', async () => {
    const task = await one('select id from Task where name is "roto"');
    await fx.session.create('Timelog', { context_id: task.id, start: new Date('2024-05-06T07:08:09.250Z'), duration: 3600 });
    const log = await one(`select start, duration, user.username from Timelog where context_id is ${task.id} and start after "2024-05-06T07:00:00"`);
    expect(log.start).toBe('2024-05-06T07:08:09.000Z');
    expect(log.user.username).toBe(fx.emulator.user);
    const logged = await one(`select time_logged from Task where id is "${task.id}"`);
    expect(logged.time_logged).toBe(3600);
  });

  it('cascades deletes to children, assignments and notes', async () => {
    const shot = await one('select id from Shot where name is "0010" and parent.name is "0010" and project.name is scd');
    await fx.session.delete('Shot', [shot.id]);
    expect((await fx.session.query(`select id from TypedContext where ancestors any (id is "${shot.id}")`)).data).toEqual([]);
    const notes = await fx.session.query('select content from Note where content like "%boom mic%"');
    expect(notes.data).toEqual([]);
  });

  it('supports session.ensure on composite keys and keeps job data as JSON text', async () => {
    const task = await one('select id from Task where name is "roto"');
    const first = await fx.session.ensure('Metadata', { parent_id: task.id, key: 'vendor', value: 'Compers Inc' }, ['parent_id', 'key']);
    const again = await fx.session.ensure('Metadata', { parent_id: task.id, key: 'vendor', value: 'Compers Inc' }, ['parent_id', 'key']);
    expect([first.parent_type, again.value]).toEqual(['TypedContext', 'Compers Inc']);
    expect((await fx.session.query(`select key from Metadata where parent_id is "${task.id}"`)).data).toHaveLength(1);
    const user = await fx.session.ensure('User', { username: 'new@compersinc.example', is_active: true });
    expect(user.resource_type).toBe('user');
    const job = await fx.session.create('Job', { status: 'running', data: { description: 'Sending files', progress: 0.5 } });
    expect(JSON.parse(job.data.data)).toEqual({ description: 'Sending files', progress: 0.5 });
    expect((await rejection(fx.session.update('Job', job.data.id, { status: 'exploded' }))).message).toContain('Job status');
  });

  it('publishes ftrack.update for committed changes with keys, old and new values and parents', async () => {
    const hub = fx.emulator.hub;
    if (!hub) throw new Error('the emulator serves an event hub');
    const task = await one('select id, status_id from Task where project.name is mtn');
    const onHold = await one('select id from Status where name is "On hold"');
    const received = new Promise<Record<string, unknown>>((resolve) => {
      const stop = hub.subscribe('topic=ftrack.update', (event) => {
        stop();
        resolve(event.data);
      });
    });
    await fx.session.update('Task', [task.id], { status_id: onHold.id });
    const data = (await received) as { entities: Record<string, unknown>[]; user: { userid: string } };
    expect(data.entities).toHaveLength(1);
    expect(data.entities[0]).toMatchObject({
      entityId: task.id,
      entityType: 'task',
      entity_type: 'Task',
      action: 'update',
      keys: ['status_id'],
      changes: { status_id: { old: task.status_id, new: onHold.id } },
    });
    const parents = data.entities[0]?.parents as { entityType: string; entity_type: string }[];
    expect(parents.map((p) => p.entity_type)).toEqual(['Task', 'Shot', 'Sequence', 'Project']);
    expect(parents.at(-1)?.entityType).toBe('show');
  });

  it('answers unknown actions like the real server', async () => {
    const error = await rejection(fx.session.call([{ action: 'frobnicate' } as never]));
    expect(error.name).toBe('ServerError');
    expect(error.message).toBe("Invalid action u'frobnicate'");
  });

  it('rejects bad credentials with api_credentials_invalid', async () => {
    const session = new Session(fx.emulator.url, fx.emulator.user, 'wrong-key', { autoConnectEventHub: false });
    const error = await rejection(session.initializing);
    expect(error.name).toBe('ServerError');
    expect(error.errorCode).toBe('api_credentials_invalid');
    expect(error.message).toContain('API key is not valid');
  });

  it('injects HTML error pages and latency, then recovers', async () => {
    fx.emulator.faults.set({ failNext: 1, failWith: 'html', status: 502 });
    const error = await rejection(fx.session.query('select id from Task'));
    expect(error.name).toBe('SyntaxError');
    expect((await fx.session.query('select id from Task')).data.length).toBeGreaterThan(0);
    const response = await fetch(`${fx.emulator.url}/_emulator/faults`, {
      method: 'POST',
      headers: { 'ftrack-user': fx.emulator.user, 'ftrack-api-key': fx.emulator.apiKey },
      body: JSON.stringify({ failNext: 1, failWith: 'json', status: 503 }),
    });
    expect(await response.json()).toMatchObject({ failNext: 1, failWith: 'json', status: 503 });
    const server = await rejection(fx.session.query('select id from Task'));
    expect([server.name, server.message]).toEqual(['ServerError', 'Injected server failure.']);
    fx.emulator.faults.set({ latencyMs: 150 });
    const started = performance.now();
    await fx.session.query('select id from Task limit 1');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    fx.emulator.faults.set({ latencyMs: 0, failNext: 1, failWith: 'reset' });
    const dropped = await rejection(fx.session.query('select id from Task limit 1'));
    expect(dropped.name).toBe('ServerError');
    expect((await fx.session.query('select id from Task limit 1')).data).toHaveLength(1);
    fx.emulator.faults.clear();
    expect(() => fx.emulator.faults.set({ failRate: 2 })).toThrow(/failRate/);
  });
});
