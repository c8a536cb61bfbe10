/**
 * The JSON-RPC methods of `shotgun_api3` over the site: read (find,
 * find_one, paging by has_next_page), create, update (per-field multi-entity
 * modes), delete, revive, the atomic batch, summarize and the schema calls.
 */
import { badRequest, SgError } from '../errors.ts';
import { find, parseRpcFilters, summarize, type Grouping, type SortKey, type SummaryField } from '../query/index.ts';
import { flatRecord } from '../render.ts';
import { createField } from '../rest/schema.ts';
import { entityWire, fieldsWire, fieldWire } from '../schema/index.ts';
import type { Site } from '../site.ts';
import type { Actor, Row } from '../store/index.ts';

export type Args = Record<string, unknown>;

const typeOf = (site: Site, args: Args): string => {
  const type = String(args['type'] ?? '');
  if (!site.schema.entity(type)) throw badRequest(`Entity type '${type}' does not exist.`, { type });
  return type;
};

const idOf = (args: Args): number => {
  const id = args['id'];
  if (typeof id !== 'number' || !Number.isInteger(id)) throw badRequest('id must be an integer.', { id: String(id) });
  return id;
};

const stringList = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

/** `[{field_name, value, multi_entity_update_mode?}]` → data and per-field modes. */
function fieldData(args: Args): { data: Record<string, unknown>; modes: Record<string, string> } {
  const data: Record<string, unknown> = {};
  const modes: Record<string, string> = {};
  const legacy = typeof args['multi_entity_update_mode'] === 'string' ? args['multi_entity_update_mode'] : undefined;
  for (const item of (args['fields'] ?? []) as { field_name?: unknown; value?: unknown; multi_entity_update_mode?: unknown }[]) {
    if (typeof item?.field_name !== 'string') throw badRequest('fields must be [{field_name, value}].', { fields: 'invalid' });
    data[item.field_name] = item.value;
    const mode = typeof item.multi_entity_update_mode === 'string' ? item.multi_entity_update_mode : legacy;
    if (mode) modes[item.field_name] = mode;
  }
  return { data, modes };
}

export function read(site: Site, args: Args): Record<string, unknown> {
  const type = typeOf(site, args);
  const presets = args['additional_filter_presets'];
  if (Array.isArray(presets) && presets.some((p) => !p || typeof p !== 'object' || !('preset_name' in p))) throw badRequest('additional_filter_presets need a preset_name.', { additional_filter_presets: presets });
  const paging = (args['paging'] ?? {}) as { entities_per_page?: number; current_page?: number };
  const perPage = Math.min(Math.max(Number(paging.entities_per_page ?? 500), 1), 5000);
  const page = Math.max(Number(paging.current_page ?? 1), 1);
  const sort: SortKey[] = ((args['sorts'] ?? []) as { field_name?: string; column?: string; direction?: string }[]).map((s) => ({ field: String(s.field_name ?? s.column ?? 'id'), direction: s.direction === 'desc' ? 'desc' : 'asc' }));
  const all = find(site.records, type, {
    filters: parseRpcFilters(args['filters']),
    sort,
    returnOnly: args['return_only'] === 'retired' ? 'retired' : 'active',
    includeArchivedProjects: args['include_archived_projects'] !== false,
  });
  const rows = all.slice((page - 1) * perPage, page * perPage);
  const fields = stringList(args['return_fields'] ?? ['id']);
  const pagingInfo: Record<string, unknown> = { has_next_page: page * perPage < all.length };
  if (args['return_paging_info'] === true) pagingInfo['entity_count'] = all.length;
  return { entities: rows.map((r) => flatRecord(site, r, fields)), paging_info: pagingInfo };
}

function written(site: Site, row: Row, data: Record<string, unknown>, returnFields: unknown): Record<string, unknown> {
  return flatRecord(site, row, [...Object.keys(data), ...stringList(returnFields)]);
}

export function create(site: Site, actor: Actor, args: Args): Record<string, unknown> {
  const { data, modes } = fieldData(args);
  return written(site, site.records.create(typeOf(site, args), data, actor, modes), data, args['return_fields']);
}

export function update(site: Site, actor: Actor, args: Args): Record<string, unknown> {
  const { data, modes } = fieldData(args);
  return written(site, site.records.update(typeOf(site, args), idOf(args), data, actor, modes), data, []);
}

export function remove(site: Site, actor: Actor, args: Args): boolean {
  site.records.retire(typeOf(site, args), idOf(args), actor);
  return true;
}

export function revive(site: Site, actor: Actor, args: Args): boolean {
  return site.records.revive(typeOf(site, args), idOf(args), actor);
}

export function batch(site: Site, actor: Actor, requests: unknown): unknown[] {
  if (!Array.isArray(requests)) throw badRequest('batch expects a list of requests.', { requests: typeof requests });
  return site.table.transaction(() =>
    requests.map((raw: unknown) => {
      const request = (raw ?? {}) as Args;
      switch (request['request_type']) {
        case 'create':
          return create(site, actor, request);
        case 'update':
          return update(site, actor, request);
        case 'delete':
          return remove(site, actor, request);
        default:
          throw badRequest(`Unknown request_type ${JSON.stringify(request['request_type'])}: use create, update or delete.`, { request_type: String(request['request_type']) });
      }
    }),
  );
}

export function summarizeCall(site: Site, args: Args): Record<string, unknown> {
  const type = typeOf(site, args);
  return summarize(site.records, type, parseRpcFilters(args['filters']), (args['summaries'] ?? []) as SummaryField[], (args['grouping'] ?? []) as Grouping[]);
}

export function schemaRead(site: Site): Record<string, unknown> {
  return Object.fromEntries(site.schema.entityTypes().map((t) => [t, fieldsWire(site.schema.entity(t)!)]));
}

export function schemaEntityRead(site: Site): Record<string, unknown> {
  return Object.fromEntries(site.schema.entityTypes().map((t) => [t, entityWire(site.schema.entity(t)!)]));
}

export function schemaFieldRead(site: Site, args: Args): Record<string, unknown> {
  const entity = site.schema.entity(typeOf(site, args));
  if (!entity) return {};
  const name = args['field_name'];
  if (typeof name !== 'string') return fieldsWire(entity);
  const field = entity.fields.get(name);
  if (!field) throw new SgError(400, 103, `${entity.type}.${name} doesn't exist.`);
  return { [name]: fieldWire(entity, field) };
}

export function schemaFieldCreate(site: Site, args: Args): string {
  return createField(site, typeOf(site, args), args);
}
