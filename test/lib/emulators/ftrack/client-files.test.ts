import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_LOCATION_ID } from '../../../../lib/emulators/ftrack/index.ts';
import { rejection, startWithSession, type EmulatorFixture } from './fixture.ts';

let fx: EmulatorFixture;
beforeAll(async () => {
  fx = await startWithSession();
});
afterAll(() => fx.close());

interface SingleTarget {
  url: string;
  headers: Record<string, string>;
  component_id: string;
}
interface MultipartTarget {
  upload_id: string;
  urls: { signed_url: string; part_number: number }[];
}

/** The flow a Node client uses: create + get_upload_metadata, PUT, register in ftrack.server. */
async function upload(name: string, fileType: string, bytes: Buffer, versionId: string | null = null): Promise<string> {
  const id = crypto.randomUUID();
  const [, target] = (await fx.session.call([
    { action: 'create', entity_type: 'FileComponent', entity_data: { id, name, file_type: fileType, size: bytes.length, version_id: versionId, __entity_type__: 'FileComponent' } },
    { action: 'get_upload_metadata', file_name: `${name}${fileType}`, file_size: bytes.length, component_id: id, parts: null },
  ])) as [unknown, SingleTarget];
  const { 'Content-Length': _length, ...headers } = target.headers;
  const put = await fetch(target.url, { method: 'PUT', headers, body: new Uint8Array(bytes) });
  expect(put.status).toBe(200);
  await fx.session.create('ComponentLocation', { component_id: id, location_id: SERVER_LOCATION_ID, resource_identifier: id });
  return id;
}

async function download(componentId: string): Promise<Buffer> {
  const url = fx.session.getComponentUrl(componentId);
  if (!url) throw new Error('no component url');
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return Buffer.from(await response.arrayBuffer());
}

async function version(): Promise<string> {
  const [shot] = (await fx.session.query('select id from Shot where project.name is mtn')).data;
  const asset = await fx.session.create('Asset', { name: `review-${crypto.randomUUID().slice(0, 8)}`, context_id: shot?.id });
  return (await fx.session.create('AssetVersion', { asset_id: asset.data.id })).data.id;
}

describe('ftrack emulator files through @ftrack/api', () => {
  it('round-trips a single-part upload and lists it in ftrack.server', async () => {
    const bytes = Buffer.from('plate notes: remove the boom mic\n');
    const id = await upload('notes', '.txt', bytes);
    expect((await download(id)).equals(bytes)).toBe(true);
    const { data } = await fx.session.query(`select component_locations.location.name, component_locations.url from FileComponent where id is "${id}"`);
    expect(data[0]?.component_locations[0].location.name).toBe('ftrack.server');
    expect(data[0]?.component_locations[0].url.value).toBe(`${fx.emulator.url}/component/get?id=${id}`);
  });

  it('refuses a PUT whose size differs from the one announced', async () => {
    const id = crypto.randomUUID();
    const [, target] = (await fx.session.call([
      { action: 'create', entity_type: 'FileComponent', entity_data: { id, name: 'short', __entity_type__: 'FileComponent' } },
      { action: 'get_upload_metadata', file_name: 'short.bin', file_size: 10, component_id: id, parts: null },
    ])) as [unknown, SingleTarget];
    const put = await fetch(target.url, { method: 'PUT', body: new Uint8Array(4) });
    expect(put.status).toBe(400);
    expect((await fetch(`${fx.emulator.url}/upload/not-a-token`, { method: 'PUT', body: 'x' })).status).toBe(403);
  });

  it('checks Content-MD5 and can fail uploads and downloads on request', async () => {
    const bytes = Buffer.from('frame 1001');
    const id = crypto.randomUUID();
    const [, target] = (await fx.session.call([
      { action: 'create', entity_type: 'FileComponent', entity_data: { id, name: 'md5', file_type: '.txt', size: bytes.length, __entity_type__: 'FileComponent' } },
      { action: 'get_upload_metadata', file_name: 'md5.txt', file_size: bytes.length, component_id: id, parts: null },
    ])) as [unknown, SingleTarget];
    const wrong = await fetch(target.url, { method: 'PUT', headers: { 'Content-MD5': 'AAAAAAAAAAAAAAAAAAAAAA==' }, body: new Uint8Array(bytes) });
    expect(wrong.status).toBe(400);
    fx.emulator.faults.set({ failNext: 1, failOn: ['upload', 'download'], failWith: 'html', status: 503 });
    const failed = await fetch(target.url, { method: 'PUT', body: new Uint8Array(bytes) });
    expect([failed.status, failed.headers.get('content-type')]).toEqual([503, 'text/html']);
    const md5 = createHash('md5').update(bytes).digest('base64');
    const right = await fetch(target.url, { method: 'PUT', headers: { 'Content-MD5': md5 }, body: new Uint8Array(bytes) });
    expect(right.status).toBe(200);
    fx.emulator.faults.set({ failNext: 1 });
    expect((await fetch(fx.session.getComponentUrl(id) ?? '')).status).toBe(503);
    expect((await download(id)).equals(bytes)).toBe(true);
    fx.emulator.faults.clear();
  });

  it('joins multipart uploads in part order after checking ETags', async () => {
    const parts = [Buffer.alloc(1000, 1), Buffer.alloc(1000, 2), Buffer.alloc(500, 3)];
    const whole = Buffer.concat(parts);
    const id = crypto.randomUUID();
    const [, target] = (await fx.session.call([
      { action: 'create', entity_type: 'FileComponent', entity_data: { id, name: 'plate', file_type: '.bin', size: whole.length, __entity_type__: 'FileComponent' } },
      { action: 'get_upload_metadata', file_name: 'plate.bin', file_size: whole.length, component_id: id, parts: 3 },
    ])) as [unknown, MultipartTarget];
    expect(target.urls.map((u) => u.part_number)).toEqual([1, 2, 3]);
    const etags = await Promise.all(
      [...target.urls].reverse().map(async (u) => {
        const response = await fetch(u.signed_url, { method: 'PUT', body: new Uint8Array(parts[u.part_number - 1] ?? []) });
        return { part_number: u.part_number, e_tag: (response.headers.get('etag') ?? '').replace(/"/g, '') };
      }),
    );
    const bad = await rejection(fx.session.call([{ action: 'complete_multipart_upload', upload_id: target.upload_id, component_id: id, parts: [{ part_number: 1, e_tag: 'wrong' }] } as never]));
    expect(bad.message).toContain('ETag');
    const [done] = (await fx.session.call([{ action: 'complete_multipart_upload', upload_id: target.upload_id, component_id: id, parts: etags } as never])) as [{ component_id: string }];
    expect(done.component_id).toBe(id);
    await fx.session.create('ComponentLocation', { component_id: id, location_id: SERVER_LOCATION_ID, resource_identifier: id });
    expect((await download(id)).equals(whole)).toBe(true);
  });

  it('serves thumbnails and the placeholder, and checks credentials on downloads', async () => {
    const png = await sharp({ create: { width: 640, height: 320, channels: 3, background: '#c04000' } }).png().toBuffer();
    const id = await upload('thumbnail', '.png', png);
    const thumb = await fetch(fx.session.thumbnailUrl(id, { size: 100 }));
    expect(thumb.headers.get('content-type')).toBe('image/png');
    const scaled = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
    expect([scaled.width, scaled.height]).toEqual([100, 50]);
    const notImage = await upload('readme', '.txt', Buffer.from('not an image'));
    const fallback = await fetch(fx.session.thumbnailUrl(notImage));
    expect((await sharp(Buffer.from(await fallback.arrayBuffer())).metadata()).width).toBe(300);
    const placeholder = await fetch(`${fx.emulator.url}/img/thumbnail2.png`);
    expect((await sharp(Buffer.from(await placeholder.arrayBuffer())).metadata()).format).toBe('png');
    const denied = await fetch(`${fx.emulator.url}/component/get?id=${id}&username=${encodeURIComponent(fx.emulator.user)}&apiKey=wrong`);
    expect(denied.status).toBe(401);
  });

  it('encodes media in a background job and publishes the review components', async () => {
    const png = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#204080' } }).png().toBuffer();
    const versionId = await version();
    const source = await upload('main', '.png', png, versionId);
    const hub = fx.emulator.hub;
    if (!hub) throw new Error('the emulator serves an event hub');
    const finished = new Promise<string>((resolve) => {
      const stop = hub.subscribe('topic=ftrack.update', (event) => {
        const entities = (event.data.entities ?? []) as { entity_type: string; changes: { status?: { new: unknown } } }[];
        const job = entities.find((e) => e.entity_type === 'Job' && ['done', 'failed'].includes(String(e.changes.status?.new)));
        if (job) {
          stop();
          resolve(String(job.changes.status?.new));
        }
      });
    });
    const [result] = (await fx.session.call([{ action: 'encode_media', component_id: source, version_id: versionId, keep_original: true } as never])) as [{ job_id: string }];
    expect(await finished).toBe('done');
    const [job] = (await fx.session.query(`select status, data from Job where id is "${result.job_id}"`)).data;
    const output = JSON.parse(job?.data).output as { format: string; component_id: string }[];
    expect(output.map((o) => o.format)).toEqual(['video/mp4', 'image/jpeg']);
    const { data } = await fx.session.query(`select name, metadata from Component where version_id is "${versionId}" and name like "ftrackreview-%" order by name`);
    expect(data.map((c) => c.name)).toEqual(['ftrackreview-image', 'ftrackreview-mp4']);
    const meta = JSON.parse(data[1]?.metadata.find((m: { key: string }) => m.key === 'ftr_meta').value);
    expect(meta).toMatchObject({ frameIn: 0, width: 64, height: 48 });
    const mp4 = await download(output[0]?.component_id ?? '');
    expect(mp4.subarray(4, 8).toString('latin1')).toBe('ftyp');
    const jpeg = await download(output[1]?.component_id ?? '');
    expect((await sharp(jpeg).metadata()).format).toBe('jpeg');
  });

  it('refuses to encode a component without uploaded data', async () => {
    const created = await fx.session.create('FileComponent', { name: 'empty' });
    const error = await rejection(fx.session.call([{ action: 'encode_media', component_id: created.data.id, version_id: null, keep_original: false } as never]));
    expect(error.name).toBe('ServerValidationError');
  });
});
