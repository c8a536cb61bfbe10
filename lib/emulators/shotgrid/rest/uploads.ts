/**
 * The REST three-step upload: `GET …/{field}/_upload?filename=` hands out a
 * storage URL (or, multipart, a `get_next_part` walk), the client PUTs the
 * bytes there, and `POST` to `complete_upload` links them (201, one-space
 * body). `GET …/{field}` reads a file field back; `?alt=original` redirects
 * to the bytes.
 */
import { badRequest, SgError } from '../errors.ts';
import { outputValue } from '../render.ts';
import { pluralSnake } from '../schema/index.ts';
import { jsonBody, json, type Reply, type Request } from '../server/http.ts';
import { isThumbnailField } from '../uploads.ts';
import type { RestContext } from './entities.ts';

const timestamp = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

function uploadPath(ctx: RestContext, type: string, id: number, field: string | null): string {
  return `${ctx.prefix}/entity/${pluralSnake(type)}/${id}${field ? `/${field}` : ''}/_upload`;
}

function nextPart(ctx: RestContext, type: string, id: number, field: string | null, info: Record<string, unknown>, part: number): string {
  const query = new URLSearchParams({ filename: String(info['original_filename']), timestamp: String(info['timestamp']), upload_type: String(info['upload_type']), upload_id: String(info['upload_id']), part_number: String(part) });
  return `${uploadPath(ctx, type, id, field)}/multipart?${query.toString()}`;
}

export function begin(ctx: RestContext, req: Request, type: string, id: number, field: string | null): Reply {
  ctx.site.records.live(type, id);
  if (field && !isThumbnailField(field)) {
    const schema = ctx.site.schema.field(type, field);
    if (!schema) throw new SgError(404, 103, 'Not Found', { detail: `Field '${type}.${field}' does not exist.` });
    if (schema.dataType !== 'url') throw badRequest(`${type}.${field} is a ${schema.dataType} field; uploads go to url fields or image.`, { field });
  }
  const filename = req.url.searchParams.get('filename') ?? '';
  const multipart = req.url.searchParams.get('multipart_upload') === 'true';
  const uploadId = ctx.site.uploads.begin(filename, multipart);
  const data = { timestamp: timestamp(), upload_type: isThumbnailField(field) ? 'Thumbnail' : 'Attachment', upload_id: uploadId, storage_service: 's3', original_filename: filename, multipart_upload: multipart };
  const links: Record<string, string> = { complete_upload: uploadPath(ctx, type, id, field) };
  if (multipart) links['get_next_part'] = nextPart(ctx, type, id, field, data, 1);
  else links['upload'] = ctx.site.uploads.storageUrl(uploadId);
  return json(200, { data, links });
}

export function part(ctx: RestContext, req: Request, type: string, id: number, field: string | null): Reply {
  const query = req.url.searchParams;
  const number = Number(query.get('part_number'));
  if (!Number.isInteger(number) || number < 1 || number > 10_000) throw badRequest('part_number must be 1 to 10000', { part_number: ['is invalid'] });
  const info = Object.fromEntries(['timestamp', 'upload_type', 'upload_id'].map((k) => [k, query.get(k)]));
  info['original_filename'] = query.get('filename');
  return json(200, { links: { upload: ctx.site.uploads.storageUrl(String(info['upload_id']), number), get_next_part: nextPart(ctx, type, id, field, info, number + 1) } });
}

export async function complete(ctx: RestContext, req: Request, type: string, id: number, field: string | null): Promise<Reply> {
  const body = (await jsonBody(req)) as Record<string, unknown>;
  const info = body['upload_info'] as Record<string, unknown> | undefined;
  if (!info || typeof info['upload_id'] !== 'string') throw badRequest('upload_info is missing', { upload_info: ['is missing'] });
  const data = (body['upload_data'] ?? {}) as Record<string, unknown>;
  const etags = Array.isArray(info['etags']) ? info['etags'].map(String) : undefined;
  const target = ctx.site.records.live(type, id);
  const file = ctx.site.uploads.finish(info['upload_id'], etags);
  await ctx.site.uploads.attach(ctx.actor, target, field, file, {
    ...(typeof data['display_name'] === 'string' ? { displayName: data['display_name'] } : {}),
    ...(Array.isArray(data['tags']) ? { tags: data['tags'] } : {}),
  });
  return { status: 201, text: ' ', type: 'application/json; charset=utf-8' };
}

export async function abort(ctx: RestContext, req: Request): Promise<Reply> {
  const body = (await jsonBody(req)) as Record<string, unknown>;
  if (typeof body['upload_id'] !== 'string') throw badRequest('upload_id is missing: send the upload_info object itself', { upload_id: ['is missing'] });
  ctx.site.uploads.abort(body['upload_id']);
  return { status: 204 };
}

/** `GET /entity/{type}/{id}/{field}`: the file field's value, or a redirect to the bytes with `?alt=`. */
export function readField(ctx: RestContext, req: Request, type: string, id: number, field: string): Reply {
  const row = ctx.site.records.live(type, id);
  const schema = ctx.site.schema.field(type, field);
  if (!schema) throw new SgError(404, 103, 'Not Found', { detail: `Field '${type}.${field}' does not exist.` });
  const value = outputValue(ctx.site, schema, row.fields[field]);
  if (req.url.searchParams.has('alt')) {
    const url = typeof value === 'string' ? value : value && typeof value === 'object' ? (value as { url?: string }).url : undefined;
    if (!url) throw new SgError(404, 104, 'Not Found', { detail: `${type} ${id} has no file in ${field}.` });
    return { status: 302, headers: { Location: url } };
  }
  return json(200, { data: value, links: { self: `${ctx.prefix}/entity/${pluralSnake(type)}/${id}/${field}` } });
}
