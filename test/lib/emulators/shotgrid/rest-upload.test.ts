import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRest, type RestFixture, type Wire } from './fixture.ts';

let f: RestFixture;
beforeAll(async () => {
  f = await startRest();
  const version = await f.call('POST', '/entity/versions', { project: { type: 'Project', id: 1 }, code: 'sh010_v001' });
  expect(version.body.data.id).toBe(1);
});
afterAll(() => f.close());

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/** init → PUT (no auth) → complete, as a REST client does it. */
async function upload(path: string, filename: string, bytes: Buffer, uploadData: Record<string, unknown> = {}): Promise<{ init: Wire; put: Response; complete: { status: number; body: Wire } }> {
  const init = await f.call('GET', `${path}/_upload?filename=${encodeURIComponent(filename)}`);
  expect(init.status).toBe(200);
  const put = await fetch(init.body.links.upload, { method: 'PUT', body: new Uint8Array(bytes) });
  const complete = await fetch(`${f.emulator.url}${init.body.links.complete_upload}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ upload_info: init.body.data, upload_data: uploadData }),
  });
  return { init: init.body, put, complete: { status: complete.status, body: await complete.text() } };
}

describe('ShotGrid emulator REST: uploads', () => {
  it('uploads a thumbnail into image and serves it back', async () => {
    const { init, put, complete } = await upload('/entity/versions/1/image', 'thumb.png', PNG);
    expect(init.data).toMatchObject({ upload_type: 'Thumbnail', storage_service: 's3', original_filename: 'thumb.png', multipart_upload: false });
    expect(init.links.complete_upload).toBe('/api/v1/entity/versions/1/image/_upload');
    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toBe(`"${createHash('md5').update(PNG).digest('hex')}"`);
    expect(complete).toEqual({ status: 201, body: ' ' });
    const image = (await f.call('GET', '/entity/versions/1?fields=image')).body.data.attributes.image as string;
    const served = await fetch(image);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(PNG);
  });

  it('uploads a movie into sg_uploaded_movie; the field reads back a fetchable upload link', async () => {
    const movie = Buffer.from('not really a movie, but bytes all the same');
    const { complete } = await upload('/entity/versions/1/sg_uploaded_movie', 'sh010_v001.mov', movie, { display_name: 'sh010 v001' });
    expect(complete.status).toBe(201);
    const field = await f.call('GET', '/entity/versions/1/sg_uploaded_movie');
    expect(field.body.data).toMatchObject({ type: 'Attachment', link_type: 'upload', name: 'sh010 v001', content_type: 'video/quicktime', url: expect.stringMatching(/\/file_serve\/attachment\/\d+$/) });
    expect(Buffer.from(await (await fetch(field.body.data.url)).arrayBuffer())).toEqual(movie);
    const redirected = await fetch(`${f.emulator.url}/api/v1/entity/versions/1/sg_uploaded_movie?alt=original`, { headers: { authorization: `Bearer ${f.token}` }, redirect: 'manual' });
    expect(redirected.status).toBe(302);
    expect(redirected.headers.get('location')).toBe(field.body.data.url);
    const attachment = await f.call('GET', `/entity/attachments/${field.body.data.id}?fields=filename,file_size,attachment_links,this_file`);
    expect(attachment.body.data.attributes).toMatchObject({ filename: 'sh010_v001.mov', file_size: movie.length });
    expect(attachment.body.data.relationships.attachment_links.data).toEqual([{ type: 'Version', id: 1, name: expect.any(String) }]);
  });

  it('attaches a file to a note without a field (the note lists it)', async () => {
    const { complete } = await upload('/entity/notes/1', 'notes.txt', Buffer.from('see frame 1012'));
    expect(complete.status).toBe(201);
    const note = await f.call('GET', '/entity/notes/1?fields=attachments');
    expect(note.body.data.relationships.attachments.data).toHaveLength(1);
  });

  it('uploads in parts through get_next_part, checking the ETags on completion', async () => {
    const init = await f.call('GET', '/entity/versions/1/sg_uploaded_movie/_upload?filename=big.mov&multipart_upload=true');
    expect(init.body.data.multipart_upload).toBe(true);
    expect(init.body.links.upload).toBeUndefined();
    const parts = [Buffer.alloc(1024, 1), Buffer.alloc(10, 2)];
    const etags: string[] = [];
    let next = init.body.links.get_next_part as string;
    for (const part of parts) {
      const link = await fetch(`${f.emulator.url}${next}`, { headers: { authorization: `Bearer ${f.token}` } }).then((r) => r.json());
      const put = await fetch(link.links.upload, { method: 'PUT', body: new Uint8Array(part) });
      etags.push(put.headers.get('etag')!);
      next = link.links.get_next_part;
    }
    const complete = (etagList: string[]) =>
      fetch(`${f.emulator.url}${init.body.links.complete_upload}`, { method: 'POST', headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ upload_info: { ...init.body.data, etags: etagList }, upload_data: {} }) });
    expect((await complete(etags)).status).toBe(201);
    const url = (await f.call('GET', '/entity/versions/1/sg_uploaded_movie')).body.data.url;
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(Buffer.concat(parts));
  });

  it('refuses a missing filename, an unknown field, a non-file field and an upload that is no longer open', async () => {
    expect((await f.call('GET', '/entity/versions/1/image/_upload')).body.errors[0].source).toEqual({ filename: ['filename is missing'] });
    expect((await f.call('GET', '/entity/versions/1/sg_nope/_upload?filename=a')).status).toBe(404);
    expect((await f.call('GET', '/entity/versions/1/code/_upload?filename=a')).status).toBe(400);
    const stale = await fetch(`${f.emulator.url}/_storage/0123456789abcdef`, { method: 'PUT', body: 'x' });
    expect(stale.status).toBe(403);
  });
});
