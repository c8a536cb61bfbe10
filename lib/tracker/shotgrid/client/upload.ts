/**
 * ShotGrid's three-step upload: (1) `GET …/{field}/_upload?filename=` for a
 * target, (2) PUT the bytes there — a presigned storage URL gets no token, the
 * site's own storage (`storage_service: sg`) gets the Bearer token and answers
 * an upload id — in parts when the target is multipart, (3) `POST` the
 * `complete_upload` link with the upload info. The PUT's status (and its ETag
 * when the store sends an MD5) is checked, since completing an upload whose
 * bytes never arrived still answers 201.
 */
import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../../../core/errors.ts';
import type { TokenManager } from './auth.ts';
import type { Http } from './http.ts';

export interface UploadOptions {
  /** Name shown for the attachment (not used for thumbnails). */
  displayName?: string | undefined;
  /** Files larger than this go in parts when the store offers multipart. Default 20 MiB. */
  multipartAboveBytes?: number | undefined;
  /** Part size, at least 5 MiB. Default 20 MiB. */
  partBytes?: number | undefined;
  fetch?: typeof fetch | undefined;
}

export interface UploadTarget {
  type: string;
  id: number;
  /** `image` for the thumbnail, `sg_uploaded_movie` or another url field; undefined attaches the file to the record. */
  field: string | undefined;
  file: string;
}

export interface UploadResult {
  filename: string;
  bytes: number;
  uploadType: string;
}

interface UploadLinks {
  upload?: string;
  complete_upload?: string;
  get_next_part?: string;
}

interface UploadInit {
  data: Record<string, unknown> & { storage_service?: string; upload_type?: string; multipart_upload?: boolean };
  links: UploadLinks;
}

const MIB = 1024 * 1024;

function uploadFailed(target: UploadTarget, reason: string, retryable: boolean, cause?: unknown): HandoffError {
  return new HandoffError('SHOTGRID_UPLOAD_FAILED', `Uploading ${target.file} to ${target.type} ${target.id}${target.field ? ` ${target.field}` : ''} failed: ${reason}`, {
    cause,
    retryable,
    details: { file: target.file, type: target.type, id: target.id, field: target.field },
    hint: 'Check the file and the site storage; publishing again with the same key sends only what is missing.',
  });
}

async function putBytes(url: string, bytes: Buffer, headers: Record<string, string>, target: UploadTarget, fetchImpl: typeof fetch): Promise<{ etag?: string; json?: unknown }> {
  let response: Response;
  try {
    response = await fetchImpl(url, { method: 'PUT', body: new Blob([new Uint8Array(bytes)]), headers: { 'Content-Type': 'application/octet-stream', ...headers }, signal: AbortSignal.timeout(300_000) });
  } catch (err) {
    throw uploadFailed(target, err instanceof Error ? err.message : String(err), true, err);
  }
  const text = await response.text();
  if (!response.ok) throw uploadFailed(target, `storage answered HTTP ${response.status}`, response.status >= 500 || response.status === 429);
  const etag = response.headers.get('etag')?.replace(/"/g, '');
  if (etag && /^[0-9a-f]{32}$/i.test(etag) && etag.toLowerCase() !== createHash('md5').update(bytes).digest('hex')) {
    throw uploadFailed(target, 'the stored bytes do not match the file (ETag differs from its MD5)', true);
  }
  let json: unknown;
  try {
    json = text.trim() ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { ...(etag ? { etag } : {}), json };
}

export async function upload(http: Http, tokens: TokenManager, target: UploadTarget & UploadOptions): Promise<UploadResult> {
  const fetchImpl = target.fetch ?? fetch;
  const size = (await stat(target.file)).size;
  const filename = path.basename(target.file);
  const partBytes = Math.max(5 * MIB, target.partBytes ?? 20 * MIB);
  const multipart = size > (target.multipartAboveBytes ?? 20 * MIB);
  const base = `/entity/${encodeURIComponent(target.type)}/${target.id}${target.field ? `/${encodeURIComponent(target.field)}` : ''}/_upload`;
  const init = await http.request<UploadInit>({ method: 'GET', path: base, query: { filename, ...(multipart ? { multipart_upload: true } : {}) }, safe: true }, tokens);
  const info: Record<string, unknown> = { ...init.data };
  const links = init.links ?? {};
  if (!links.upload || !links.complete_upload) throw uploadFailed(target, 'ShotGrid gave no upload link', true);
  // A presigned storage URL carries its own signature; only the site's own storage takes the token.
  const auth = async (): Promise<Record<string, string>> => (init.data.storage_service === 'sg' ? { Authorization: `Bearer ${await tokens.token()}` } : {});

  const file = await open(target.file, 'r');
  try {
    const read = async (offset: number, length: number): Promise<Buffer> => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await file.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    };
    if (init.data.multipart_upload) {
      const etags: string[] = [];
      let url = http.url(links.upload, true);
      for (let offset = 0; offset < size; offset += partBytes) {
        if (offset > 0) {
          if (!links.get_next_part) throw uploadFailed(target, 'ShotGrid gave no link for the next part', true);
          const next = await http.request<{ links: UploadLinks }>({ method: 'GET', path: links.get_next_part, linked: true, safe: true }, tokens);
          if (!next?.links?.upload) throw uploadFailed(target, 'ShotGrid gave no upload link for a part', true);
          url = http.url(next.links.upload, true);
          links.get_next_part = next.links.get_next_part ?? links.get_next_part;
        }
        const put = await putBytes(url, await read(offset, Math.min(partBytes, size - offset)), await auth(), target, fetchImpl);
        if (!put.etag) throw uploadFailed(target, 'the store answered a part without an ETag', true);
        etags.push(put.etag);
      }
      info['etags'] = etags;
    } else {
      const put = await putBytes(http.url(links.upload, true), await read(0, size), await auth(), target, fetchImpl);
      const stored = (put.json as { data?: Record<string, unknown> } | undefined)?.data;
      if (stored) Object.assign(info, stored);
    }
  } finally {
    await file.close();
  }
  const uploadData = target.displayName ? { display_name: target.displayName } : {};
  await http.request({ method: 'POST', path: links.complete_upload, linked: true, body: { upload_info: info, upload_data: uploadData }, safe: target.field !== undefined }, tokens);
  return { filename, bytes: size, uploadType: String(init.data.upload_type ?? '') };
}
