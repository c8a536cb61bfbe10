/** The three-step upload against a real loopback server: presigned and site storage, multipart, ETag checks. */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createShotgridClient } from '../../../../lib/tracker/shotgrid/client/index.ts';
import type { ShotgridClient } from '../../../../lib/tracker/shotgrid/client/index.ts';
import { fakeJwt, startFakeSite } from './fake-site.ts';
import type { FakeSite, Reply, SeenRequest } from './fake-site.ts';

let site: FakeSite;
let client: ShotgridClient;
let dir: string;
const token = fakeJwt({});
const md5 = (b: Buffer): string => createHash('md5').update(b).digest('hex');

function storage(extra: (req: SeenRequest) => Reply | undefined = () => undefined) {
  return (req: SeenRequest): Reply => {
    if (req.url.pathname.endsWith('/auth/access_token')) return { json: { access_token: token, expires_in: 600 } };
    return extra(req) ?? { status: 404 };
  };
}

beforeEach(async () => {
  site = await startFakeSite();
  client = createShotgridClient({ siteUrl: site.url, credentials: { kind: 'script', scriptName: 's', scriptKey: 'k' }, retryDelayMs: 1 });
  dir = await mkdtemp(path.join(tmpdir(), 'sg-upload-'));
});
afterEach(async () => {
  await site.close();
  await rm(dir, { recursive: true, force: true });
});

it('asks for a target, PUTs the bytes to a presigned URL without the token, then completes with the upload info', async () => {
  const file = path.join(dir, 'plaque é.png');
  await writeFile(file, Buffer.from('png bytes'));
  site.handle(
    storage((req) => {
      if (req.url.pathname === '/api/v1/entity/Version/7/image/_upload') {
        return { json: { data: { upload_type: 'Thumbnail', storage_service: 's3', original_filename: 'plaque é.png', multipart_upload: false }, links: { upload: `${site.url}/s3/put?sig=1`, complete_upload: '/api/v1/entity/versions/7/image/_upload' } } };
      }
      if (req.url.pathname === '/s3/put') return { headers: { etag: `"${md5(req.body)}"` } };
      if (req.url.pathname === '/api/v1/entity/versions/7/image/_upload') return { status: 201, text: ' ' };
      return undefined;
    }),
  );
  expect(await client.upload('Version', 7, 'image', file)).toEqual({ filename: 'plaque é.png', bytes: 9, uploadType: 'Thumbnail' });
  const [init, put, complete] = site.seen.filter((r) => !r.url.pathname.endsWith('/access_token'));
  expect(init?.url.searchParams.get('filename')).toBe('plaque é.png');
  expect(put?.headers['authorization']).toBeUndefined();
  expect(put?.body.toString()).toBe('png bytes');
  expect(complete?.json).toEqual({ upload_info: { upload_type: 'Thumbnail', storage_service: 's3', original_filename: 'plaque é.png', multipart_upload: false }, upload_data: {} });
});

it('sends the token to the site storage and merges the upload id it answers', async () => {
  const file = path.join(dir, 'review.mp4');
  await writeFile(file, Buffer.alloc(100, 7));
  site.handle(
    storage((req) => {
      if (req.url.pathname.endsWith('/sg_uploaded_movie/_upload') && req.method === 'GET') {
        return { json: { data: { upload_type: 'Attachment', storage_service: 'sg' }, links: { upload: '/api/v1/entity/versions/7/sg_uploaded_movie/_upload/bytes', complete_upload: '/api/v1/entity/versions/7/sg_uploaded_movie/_upload' } } };
      }
      if (req.method === 'PUT') return { json: { data: { upload_id: 'u-1', original_filename: 'review.mp4' } } };
      if (req.method === 'POST') return { status: 201, text: ' ' };
      return undefined;
    }),
  );
  await client.upload('Version', 7, 'sg_uploaded_movie', file, { displayName: 'Review' });
  const put = site.seen.find((r) => r.method === 'PUT');
  expect(put?.url.pathname).toBe('/api/v1/entity/versions/7/sg_uploaded_movie/_upload/bytes');
  expect(put?.headers['authorization']).toBe(`Bearer ${token}`);
  expect(site.seen.at(-1)?.json).toMatchObject({ upload_info: { upload_id: 'u-1' }, upload_data: { display_name: 'Review' } });
});

it('refuses to complete when the store kept other bytes (ETag is not the MD5)', async () => {
  const file = path.join(dir, 'a.png');
  await writeFile(file, Buffer.from('abc'));
  site.handle(
    storage((req) => {
      if (req.method === 'GET') return { json: { data: { storage_service: 's3' }, links: { upload: `${site.url}/s3/x`, complete_upload: '/api/v1/c' } } };
      if (req.method === 'PUT') return { headers: { etag: `"${md5(Buffer.from('other'))}"` } };
      return { status: 201, text: ' ' };
    }),
  );
  await expect(client.upload('Version', 1, 'image', file)).rejects.toMatchObject({ code: 'SHOTGRID_UPLOAD_FAILED', retryable: true });
  expect(site.seen.some((r) => r.url.pathname === '/api/v1/c')).toBe(false);
});

it('walks get_next_part for a multipart upload and completes with the parts’ ETags in order', async () => {
  const file = path.join(dir, 'big.mov');
  const bytes = Buffer.alloc(6 * 1024 * 1024 + 10, 3);
  bytes.fill(9, 5 * 1024 * 1024);
  await writeFile(file, bytes);
  site.handle(
    storage((req) => {
      if (req.url.pathname.endsWith('/_upload') && req.method === 'GET') {
        expect(req.url.searchParams.get('multipart_upload')).toBe('true');
        return { json: { data: { storage_service: 's3', multipart_upload: true, upload_id: 'm1' }, links: { upload: `${site.url}/s3/part1`, complete_upload: '/api/v1/done', get_next_part: '/api/v1/next?part=2' } } };
      }
      if (req.url.pathname === '/api/v1/next') return { json: { links: { upload: `${site.url}/s3/part2`, get_next_part: '/api/v1/next?part=3' } } };
      if (req.method === 'PUT') return { headers: { etag: `"${md5(req.body)}"` } };
      if (req.url.pathname === '/api/v1/done') return { status: 201, text: ' ' };
      return undefined;
    }),
  );
  await client.upload('Version', 3, 'sg_uploaded_movie', file, { multipartAboveBytes: 1024, partBytes: 5 * 1024 * 1024 });
  const parts = site.seen.filter((r) => r.method === 'PUT');
  expect(parts.map((p) => p.body.length)).toEqual([5 * 1024 * 1024, 1024 * 1024 + 10]);
  expect((site.seen.at(-1)?.json as { upload_info: { etags: string[] } }).upload_info.etags).toEqual(parts.map((p) => md5(p.body)));
});
