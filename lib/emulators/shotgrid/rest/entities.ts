/**
 * REST entity routes: list, read, create, update, delete (retire), revive,
 * `_search` (vendor content types only), `_summarize` and the atomic `_batch`.
 */
import { badRequest, SgError } from '../errors.ts';
import { find, parseArrayFilters, parseHashFilters, resolvePath, summarize, type FilterNode, type Grouping, type SummaryField } from '../query/index.ts';
import { fieldList } from '../render.ts';
import type { Site } from '../site.ts';
import type { Actor, Row } from '../store/index.ts';
import { json, jsonBody, mediaType, type Reply, type Request } from '../server/http.ts';
import { pageQuery, readParams, type ReadParams } from './params.ts';
import { restRecord, selfLink } from './records.ts';

export const ARRAY_TYPE = 'application/vnd+shotgun.api3_array+json';
export const HASH_TYPE = 'application/vnd+shotgun.api3_hash+json';

export interface RestContext {
  site: Site;
  /** `/api/v1` or `/api/v1.1`, echoed in links. */
  prefix: string;
  actor: Actor;
}

function unsupported(expected: string[]): SgError {
  return new SgError(415, 103, 'Unsupported Media Type', { source: { content_type: `Content-Type must be one of: ${expected.join(', ')}` } });
}

/** The JSON object body of a write; vendor search types are refused. */
async function writeBody(req: Request): Promise<Record<string, unknown>> {
  const type = mediaType(req);
  if (type && type !== 'application/json') throw unsupported(['application/json']);
  const body = await jsonBody(req);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('The body must be a JSON object.', { body: 'expected an object' });
  return body as Record<string, unknown>;
}

function searchFilters(req: Request, body: Record<string, unknown>): FilterNode {
  const type = mediaType(req);
  if (type === ARRAY_TYPE) return parseArrayFilters(body['filters']);
  if (type === HASH_TYPE) return parseHashFilters(body['filters']);
  throw unsupported([ARRAY_TYPE, HASH_TYPE]);
}

function page(ctx: RestContext, req: Request, type: string, filters: FilterNode, params: ReadParams): Reply {
  const rows = find(ctx.site.records, type, { filters, sort: params.sort, returnOnly: params.returnOnly, includeArchivedProjects: params.includeArchivedProjects, page: params.page, pageSize: params.pageSize });
  const fields = fieldList(ctx.site, type, params.fields, true);
  const base = `${ctx.prefix}${req.url.pathname.slice(req.url.pathname.indexOf('/entity/'))}`;
  const links: Record<string, string> = { self: `${base}?${pageQuery(req.url.searchParams, params, params.page)}`, next: `${base}?${pageQuery(req.url.searchParams, params, params.page + 1)}` };
  if (params.page > 1) links['prev'] = `${base}?${pageQuery(req.url.searchParams, params, params.page - 1)}`;
  return json(200, { data: rows.map((r) => restRecord(ctx.site, ctx.prefix, r, fields)), links });
}

/** `GET /entity/{type}?filter[path]=value` — each filter an `is`. */
export function list(ctx: RestContext, req: Request, type: string): Reply {
  const conditions: FilterNode[] = [];
  for (const [key, raw] of req.url.searchParams) {
    const match = /^filter\[(.+)\]$/.exec(key);
    if (!match) continue;
    const path = resolvePath(ctx.site.schema, type, match[1]!);
    const numeric = ['number', 'float', 'duration', 'percent'].includes(path.field.dataType) || match[1]!.endsWith('.id') || match[1] === 'id';
    const value = raw === 'null' ? null : numeric && raw !== '' && !Number.isNaN(Number(raw)) ? Number(raw) : path.field.dataType === 'checkbox' ? raw === 'true' : raw;
    conditions.push({ path: match[1]!, relation: 'is', values: [value] });
  }
  return page(ctx, req, type, { op: 'and', conditions }, readParams(req.url.searchParams));
}

export async function search(ctx: RestContext, req: Request, type: string): Promise<Reply> {
  const body = (await jsonBody(req)) as Record<string, unknown>;
  const filters = searchFilters(req, body);
  return page(ctx, req, type, filters, readParams(req.url.searchParams, body));
}

export async function summarizeRoute(ctx: RestContext, req: Request, type: string): Promise<Reply> {
  const body = (await jsonBody(req)) as Record<string, unknown>;
  const filters = searchFilters(req, body);
  const fields = body['summary_fields'];
  if (!Array.isArray(fields) || !fields.length) throw badRequest('summary_fields is missing', { summary_fields: ['is missing'] });
  return json(200, { data: summarize(ctx.site.records, type, filters, fields as SummaryField[], (body['grouping'] as Grouping[] | undefined) ?? []), links: { self: `${ctx.prefix}${req.url.pathname.slice(req.url.pathname.indexOf('/entity/'))}` } });
}

export function read(ctx: RestContext, req: Request, type: string, id: number): Reply {
  const params = readParams(req.url.searchParams);
  const row = ctx.site.table.get(type, id);
  if (!row || row.retired !== (params.returnOnly === 'retired')) throw new SgError(404, 104, 'Not Found', { detail: `Entity of type [${type}] with id=${id} does not exist.` });
  return json(200, { data: restRecord(ctx.site, ctx.prefix, row, fieldList(ctx.site, type, params.fields, true)), links: { self: selfLink(ctx.prefix, type, id) } });
}

const written = (ctx: RestContext, row: Row, created: boolean) => ({
  data: restRecord(ctx.site, ctx.prefix, row, fieldList(ctx.site, row.type, undefined, true), { created }),
  links: { self: selfLink(ctx.prefix, row.type, row.id) },
});

export async function create(ctx: RestContext, req: Request, type: string): Promise<Reply> {
  const row = ctx.site.records.create(type, await writeBody(req), ctx.actor);
  return json(201, written(ctx, row, true));
}

export async function update(ctx: RestContext, req: Request, type: string, id: number): Promise<Reply> {
  const row = ctx.site.records.update(type, id, await writeBody(req), ctx.actor);
  return json(200, written(ctx, row, false));
}

export function remove(ctx: RestContext, type: string, id: number): Reply {
  ctx.site.records.retire(type, id, ctx.actor);
  return { status: 204 };
}

export function revive(ctx: RestContext, req: Request, type: string, id: number): Reply {
  const flag = req.url.searchParams.get('revive');
  if (flag === null) throw badRequest('revive is missing', { revive: ['is missing'] });
  if (!['1', 'true', 'yes'].includes(flag.toLowerCase())) throw badRequest('revive must be true', { revive: ['must be true'] });
  const did = ctx.site.records.revive(type, id, ctx.actor);
  return json(200, { data: { type, id }, links: { self: selfLink(ctx.prefix, type, id) }, meta: { did_revive: did } });
}

export async function batch(ctx: RestContext, req: Request): Promise<Reply> {
  const body = await writeBody(req);
  const requests = body['requests'];
  if (!Array.isArray(requests) || !requests.length) throw badRequest('requests is missing', { requests: ['must be a non-empty array'] });
  const { records, schema, table } = ctx.site;
  const results = table.transaction(() =>
    requests.map((raw: unknown, index) => {
      const r = (raw ?? {}) as Record<string, unknown>;
      const type = schema.typeOfSlug(String(r['entity'] ?? ''));
      if (!type) throw badRequest(`requests[${index}].entity ${JSON.stringify(r['entity'])} is not an entity type.`, { requests: { [index]: 'entity' } });
      const data = (r['data'] ?? {}) as Record<string, unknown>;
      const id = Number(r['record_id'] ?? 0);
      switch (r['request_type']) {
        case 'create':
          return written(ctx, records.create(type, data, ctx.actor), true);
        case 'update':
          return written(ctx, records.update(type, id, data, ctx.actor), false);
        case 'delete':
          records.retire(type, id, ctx.actor);
          return { request_type: 'delete', type, id, did_delete: true };
        default:
          throw badRequest(`requests[${index}].request_type must be create, update or delete.`, { requests: { [index]: 'request_type' } });
      }
    }),
  );
  return json(200, { data: results });
}
