/** The upload forms shotgun_api3 posts (host-root /upload/…) and its plain-text answers. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startShotgridEmulator, type ShotgridEmulator } from '../../../../lib/emulators/shotgrid/index.ts';

let emulator: ShotgridEmulator;
const auth = { script_name: 'handoff', script_key: 'test-key' };
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001', 'hex');

beforeAll(async () => {
  emulator = await startShotgridEmulator({ seed: 'demo', scriptKey: 'test-key' });
  emulator.site.records.create('Version', { project: { type: 'Project', id: 1 }, code: 'v001' }, { user: { type: 'ApiUser', id: 1 }, sessionUuid: null });
});
afterAll(() => emulator.close());

async function post(route: string, fields: Record<string, string>, file?: { name: string; filename: string; bytes: Buffer }): Promise<{ status: number; text: string }> {
  let body: FormData | URLSearchParams;
  if (file) {
    const form = new FormData();
    for (const [k, v] of Object.entries({ ...fields, ...auth })) form.append(k, v);
    form.append(file.name, new Blob([new Uint8Array(file.bytes)]), file.filename);
    body = form;
  } else {
    body = new URLSearchParams({ ...fields, ...auth });
  }
  const response = await fetch(`${emulator.url}/upload/${route}`, { method: 'POST', body });
  return { status: response.status, text: await response.text() };
}

const attachmentId = (text: string): number => Number(text.split(':', 2)[1]!.split('\n', 1)[0]);

async function versionField(field: string): Promise<unknown> {
  const response = await fetch(`${emulator.url}/api3/json`, {
    method: 'POST',
    body: JSON.stringify({ method_name: 'read', params: [auth, { type: 'Version', return_fields: [field], filters: { logical_operator: 'and', conditions: [{ path: 'id', relation: 'is', values: [1] }] }, paging: { entities_per_page: 1, current_page: 1 } }] }),
  });
  return ((await response.json()) as { results: { entities: Record<string, unknown>[] } }).results.entities[0]![field];
}

describe('ShotGrid emulator upload forms', () => {
  it('takes a direct file upload into a url field and serves the bytes without auth', async () => {
    const movie = Buffer.from('direct movie bytes');
    const answer = await post('upload_file', { entity_type: 'Version', entity_id: '1', field_name: 'sg_uploaded_movie', display_name: 'review cut' }, { name: 'file', filename: 'cut.mov', bytes: movie });
    expect(answer).toEqual({ status: 200, text: expect.stringMatching(/^1:\d+\n$/) });
    const link = (await versionField('sg_uploaded_movie')) as { id: number; url: string; name: string };
    expect(link).toMatchObject({ type: 'Attachment', id: attachmentId(answer.text), name: 'review cut', link_type: 'upload' });
    expect(Buffer.from(await (await fetch(link.url)).arrayBuffer())).toEqual(movie);
    expect(link.url).toBe(`${emulator.url}/file_serve/attachment/${link.id}`);
  });

  it('publishes a thumbnail into image', async () => {
    const answer = await post('publish_thumbnail', { entity_type: 'Version', entity_id: '1' }, { name: 'thumb_image', filename: 'thumb.png', bytes: PNG });
    expect(answer.text).toMatch(/^1:\d+\n$/);
    const image = (await versionField('image')) as string;
    const served = await fetch(image);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
  });

  it('runs the storage flow: link info, PUT, link file (5-line reply, ETag on PUT)', async () => {
    const info = await post('api_get_upload_link_info', { upload_type: 'Attachment', filename: 'notes.txt', multipart_upload: 'False' });
    const lines = info.text.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toBe('1');
    expect(lines[3]).toBe('Attachment');
    const put = await fetch(lines[1]!, { method: 'PUT', body: 'storage bytes', headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    const linked = await post('api_link_file', { entity_type: 'Version', entity_id: '1', upload_link_info: info.text, field_name: 'sg_uploaded_movie', display_name: 'notes.txt' });
    expect(linked.text).toMatch(/^1:\d+\n$/);
    const served = await fetch(`${emulator.url}/file_serve/attachment/${attachmentId(linked.text)}`);
    expect(await served.text()).toBe('storage bytes');
  });

  it('runs a multipart storage upload: part links, ETags checked on completion, link', async () => {
    const info = await post('api_get_upload_link_info', { upload_type: 'Attachment', filename: 'big.bin', multipart_upload: 'True' });
    const [, , timestamp, , uploadId] = info.text.split('\n');
    const parts = [Buffer.alloc(2048, 7), Buffer.alloc(5, 9)];
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const link = await post('api_get_upload_link_for_part', { upload_type: 'Attachment', filename: 'big.bin', timestamp: timestamp!, upload_id: uploadId!, part_number: String(i + 1) });
      etags.push((await fetch(link.text.split('\n')[1]!, { method: 'PUT', body: new Uint8Array(part) })).headers.get('etag')!);
    }
    const wrong = await post('api_complete_multipart_upload', { upload_type: 'Attachment', filename: 'big.bin', timestamp: timestamp!, upload_id: uploadId!, etags: etags[0]! });
    expect(wrong.text.startsWith('0\nThe etags do not match')).toBe(true);
    expect((await post('api_complete_multipart_upload', { upload_type: 'Attachment', filename: 'big.bin', timestamp: timestamp!, upload_id: uploadId!, etags: etags.join(',') })).text).toBe('1');
    const linked = await post('api_link_file', { entity_type: 'Version', entity_id: '1', upload_link_info: info.text });
    const served = await fetch(`${emulator.url}/file_serve/attachment/${attachmentId(linked.text)}`);
    expect(Buffer.from(await served.arrayBuffer())).toEqual(Buffer.concat(parts));
  });

  it('shares a thumbnail, and answers logical failures as 200 "0\\n<message>"', async () => {
    await post('publish_thumbnail', { entity_type: 'Shot', entity_id: '1' }, { name: 'thumb_image', filename: 't.png', bytes: PNG });
    const shared = await post('share_thumbnail', { entities: 'Shot_2,Shot_3', source_entity: 'Shot_1', filmstrip_thumbnail: 'False' });
    expect(shared.text).toMatch(/^1:\d+$/);
    expect(emulator.site.table.get('Shot', 3)!.fields['image']).toBe(attachmentId(shared.text));
    const badAuth = await fetch(`${emulator.url}/upload/upload_file`, { method: 'POST', body: new URLSearchParams({ entity_type: 'Version', entity_id: '1', script_name: 'handoff', script_key: 'nope' }) });
    expect(badAuth.status).toBe(200);
    expect(await badAuth.text()).toBe("0\nCan't authenticate script 'handoff'");
    const missing = await post('upload_file', { entity_type: 'Version', entity_id: '999' }, { name: 'file', filename: 'a.txt', bytes: Buffer.from('a') });
    expect(missing.text).toMatch(/^0\nNot Found Entity of type \[Version\] with id=999/);
  });
});
