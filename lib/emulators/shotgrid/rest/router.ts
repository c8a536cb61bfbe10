/**
 * The REST API under `/api/v1` and `/api/v1.1` (the same API; links echo the
 * prefix called). Everything but server info and the token endpoint needs a
 * Bearer token.
 */
import { SgError } from '../errors.ts';
import { json, type Reply, type Request } from '../server/http.ts';
import type { Site } from '../site.ts';
import { accessToken } from './auth.ts';
import { batch, create, list, read, remove, revive, search, summarizeRoute, update, type RestContext } from './entities.ts';
import { restRecord } from './records.ts';
import { createFieldRoute, schemaRoute } from './schema.ts';
import { abort, begin, complete, part, readField } from './uploads.ts';

export const SERVER_VERSION = [8, 50, 0];

const noRoute = (req: Request): SgError => new SgError(404, 103, 'Not Found', { detail: `No route for ${req.method} ${req.url.pathname}.` });

function entityType(site: Site, slug: string): string {
  const type = site.schema.typeOfSlug(slug);
  if (!type) throw new SgError(404, 103, 'Not Found', { detail: `Entity type '${slug}' does not exist.` });
  return type;
}

function recordId(text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id < 1) throw new SgError(400, 103, `Invalid id ${JSON.stringify(text)}`, { source: { id: ['must be a positive integer'] } });
  return id;
}

async function entityRoute(ctx: RestContext, req: Request, parts: string[]): Promise<Reply> {
  const { method } = req;
  const [slug, second, third, fourth] = parts;
  if (slug === '_batch' && parts.length === 1 && method === 'POST') return batch(ctx, req);
  const type = entityType(ctx.site, slug ?? '');
  if (second === undefined) {
    if (method === 'GET') return list(ctx, req, type);
    if (method === 'POST') return create(ctx, req, type);
    throw noRoute(req);
  }
  if (second === '_search' && method === 'POST' && parts.length === 2) return search(ctx, req, type);
  if (second === '_summarize' && method === 'POST' && parts.length === 2) return summarizeRoute(ctx, req, type);
  const id = recordId(second);
  if (third === undefined) {
    if (method === 'GET') return read(ctx, req, type, id);
    if (method === 'PUT') return update(ctx, req, type, id);
    if (method === 'DELETE') return remove(ctx, type, id);
    if (method === 'POST') return revive(ctx, req, type, id);
    throw noRoute(req);
  }
  if (third === 'relationships' && fourth && parts.length === 4 && method === 'GET') {
    const row = ctx.site.records.live(type, id);
    const record = restRecord(ctx.site, ctx.prefix, row, [fourth]) as { relationships: Record<string, unknown> };
    const relationship = record.relationships[fourth];
    if (!relationship) throw new SgError(404, 103, 'Not Found', { detail: `${type}.${fourth} is not a link field.` });
    return json(200, relationship);
  }
  // Uploads: …/{id}/_upload[/…] (no field) or …/{id}/{field}/_upload[/…].
  const field = third === '_upload' ? null : third;
  const rest = third === '_upload' ? parts.slice(3) : parts.slice(4);
  if (third !== '_upload' && fourth !== '_upload') {
    if (fourth === undefined && method === 'GET') return readField(ctx, req, type, id, third);
    throw noRoute(req);
  }
  const [step] = rest;
  if (step === undefined && method === 'GET') return begin(ctx, req, type, id, field);
  if (step === undefined && method === 'POST') return complete(ctx, req, type, id, field);
  if (step === 'multipart' && method === 'GET') return part(ctx, req, type, id, field);
  if (step === 'multipart_abort' && method === 'POST') return abort(ctx, req);
  throw noRoute(req);
}

export async function restRoute(site: Site, req: Request, prefix: string): Promise<Reply> {
  const path = req.url.pathname.slice(prefix.length).replace(/\/+$/, '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (!parts.length && req.method === 'GET') {
    return json(200, {
      data: { shotgun_version: `v${SERVER_VERSION.join('.')}.0 (handoff emulator)`, api_version: prefix.endsWith('1.1') ? '1.1' : '1.0', unified_login_flow_enabled: false, user_authentication_method: 'default', site_name: 'handoff emulator' },
      links: { self: prefix },
    });
  }
  if (path === '/auth/access_token' && req.method === 'POST') return accessToken(site, req);
  const ctx: RestContext = { site, prefix, actor: site.auth.bearer(req.headers.authorization) };
  const [head, ...tail] = parts;
  if (head === 'entity') return entityRoute(ctx, req, tail);
  if (head === 'schema' && req.method === 'GET') return schemaRoute(site, prefix, tail);
  if (head === 'schema' && req.method === 'POST' && tail.length === 2 && tail[1] === 'fields') return createFieldRoute(site, prefix, req, tail[0]!);
  if (head === 'preferences' && req.method === 'GET') return json(200, { data: { hours_per_day: 8, support_local_storage: true, view_master_settings: null }, links: { self: `${prefix}/preferences` } });
  throw noRoute(req);
}
