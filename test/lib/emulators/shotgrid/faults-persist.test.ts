import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startShotgridEmulator } from '../../../../lib/emulators/shotgrid/index.ts';
import { startRest, type RestFixture } from './fixture.ts';

describe('ShotGrid emulator fault injection', () => {
  let f: RestFixture;
  beforeAll(async () => {
    f = await startRest();
  });
  afterAll(() => f.close());
  beforeEach(() => f.emulator.faults.clear());

  it('answers 429 with Retry-After in the error envelope, then serves again', async () => {
    f.emulator.faults.set({ status: 429, failNext: 1, retryAfterSeconds: 7 });
    const limited = await f.call('GET', '/entity/projects');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.body.errors[0]).toMatchObject({ status: 429, title: 'Too Many Requests' });
    expect((await f.call('GET', '/entity/projects')).status).toBe(200);
  });

  it('serves a proxy HTML page for 503 on the JSON-RPC API, and drops connections', async () => {
    f.emulator.faults.set({ status: 503, failNext: 1, failWith: 'html' });
    const page = await fetch(`${f.emulator.url}/api3/json`, { method: 'POST', body: JSON.stringify({ method_name: 'info', params: [] }) });
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toBe('text/html');
    expect(page.headers.get('retry-after')).toBe('1');
    expect(await page.text()).toContain('<h1>503 Service Unavailable</h1>');
    f.emulator.faults.set({ failNext: 1, failWith: 'reset' });
    await expect(f.call('GET', '/entity/projects')).rejects.toThrow();
    expect((await f.call('GET', '/entity/projects')).status).toBe(200);
  });

  it('fails only the routes named in failOn, and is set over HTTP with the script credentials', async () => {
    const headers = { 'sg-script-name': 'handoff', 'sg-script-key': 'test-key', 'content-type': 'application/json' };
    const set = await fetch(`${f.emulator.url}/_emulator/faults`, { method: 'POST', headers, body: JSON.stringify({ failNext: 1, status: 502, failOn: ['download'] }) });
    expect(await set.json()).toMatchObject({ failNext: 1, status: 502, failOn: ['download'] });
    expect((await f.call('GET', '/entity/projects')).status).toBe(200);
    expect((await fetch(`${f.emulator.url}/file_serve/attachment/1`)).status).toBe(502);
    const refused = await fetch(`${f.emulator.url}/_emulator/faults`, { method: 'POST', headers: { ...headers, 'sg-script-key': 'x' }, body: 'null' });
    expect(refused.status).toBe(400);
    const cleared = await fetch(`${f.emulator.url}/_emulator/faults`, { method: 'POST', headers, body: 'null' });
    expect(await cleared.json()).toEqual({});
  });

  it('refuses invalid settings with SHOTGRID_EMULATOR_FAULTS_INVALID', () => {
    expect(() => f.emulator.faults.set({ failRate: 3 })).toThrow(expect.objectContaining({ code: 'SHOTGRID_EMULATOR_FAULTS_INVALID' }));
  });
});

describe('ShotGrid emulator persistence', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sgemu-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('keeps records, events, custom fields and uploaded bytes across restarts', async () => {
    const file = path.join(dir, 'site.json');
    const first = await startRest({ persist: file });
    await first.call('POST', '/schema/Version/fields', { data_type: 'text', properties: [{ property_name: 'name', value: 'Handoff Key' }] });
    const made = await first.call('POST', '/entity/versions', { project: { type: 'Project', id: 1 }, code: 'kept', sg_handoff_key: 'k1', sg_status_list: 'osr' });
    const init = await first.call('GET', `/entity/versions/${made.body.data.id}/sg_uploaded_movie/_upload?filename=m.mov`);
    await fetch(init.body.links.upload, { method: 'PUT', body: 'movie' });
    await fetch(`${first.emulator.url}${init.body.links.complete_upload}`, { method: 'POST', headers: { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ upload_info: init.body.data, upload_data: {} }) });
    await first.close();

    const second = await startRest({ persist: file, seed: undefined });
    try {
      const version = await second.call('GET', `/entity/versions/${made.body.data.id}?fields=code,sg_handoff_key,sg_status_list,sg_uploaded_movie`);
      expect(version.body.data.attributes).toMatchObject({ code: 'kept', sg_handoff_key: 'k1', sg_status_list: 'osr' });
      expect(await (await fetch(version.body.data.attributes.sg_uploaded_movie.url)).text()).toBe('movie');
      const events = await second.call('GET', '/entity/event_log_entries?filter[event_type]=Shotgun_Version_New');
      expect(events.body.data).toHaveLength(1);
      expect((await second.call('GET', '/entity/projects')).body.data).toHaveLength(2);
    } finally {
      await second.close();
    }
  });

  it('refuses a file it did not write with SHOTGRID_EMULATOR_PERSIST_FAILED', async () => {
    const file = path.join(dir, 'other.json');
    await writeFile(file, '{"format":"something else"}');
    await expect(startShotgridEmulator({ persist: file })).rejects.toMatchObject({ code: 'SHOTGRID_EMULATOR_PERSIST_FAILED' });
    expect(await readFile(file, 'utf8')).toBe('{"format":"something else"}');
  });
});
