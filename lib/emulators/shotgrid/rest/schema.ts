/**
 * Schema endpoints: `/schema`, `/schema/{type}`, `/schema/{type}/fields[/{field}]`
 * (every property `{value, editable}`), and `POST /schema/{type}/fields` to add
 * a custom field.
 */
import { badRequest, SgError } from '../errors.ts';
import { entityWire, fieldsWire, fieldWire, type DataType } from '../schema/index.ts';
import { json, jsonBody, type Reply, type Request } from '../server/http.ts';
import type { Site } from '../site.ts';

const CREATABLE: DataType[] = ['text', 'number', 'float', 'checkbox', 'date', 'date_time', 'entity', 'multi_entity', 'list', 'status_list', 'url', 'duration', 'percent', 'serializable'];

export function schemaRoute(site: Site, prefix: string, parts: string[]): Reply {
  const [slug, fields, name] = parts;
  if (!slug) return json(200, { data: Object.fromEntries(site.schema.entityTypes().map((t) => [t, entityWire(site.schema.entity(t)!)])), links: { self: `${prefix}/schema` } });
  const type = site.schema.typeOfSlug(slug);
  const entity = type ? site.schema.entity(type) : undefined;
  if (!entity) throw new SgError(404, 103, 'Not Found', { detail: `Entity type '${slug}' does not exist.` });
  const self = `${prefix}/schema/${parts.join('/')}`;
  if (fields === undefined) return json(200, { data: entityWire(entity), links: { self } });
  if (fields !== 'fields') throw new SgError(404, 103, 'Not Found', { detail: `No route for ${self}.` });
  if (name === undefined) return json(200, { data: fieldsWire(entity), links: { self } });
  const field = entity.fields.get(name);
  if (!field) throw new SgError(404, 103, 'Not Found', { detail: `Field '${entity.type}.${name}' does not exist.` });
  return json(200, { data: fieldWire(entity, field), links: { self } });
}

/** Adds a field from `{data_type, properties: [{property_name, value}]}`; answers its schema (201). */
export function createField(site: Site, type: string, body: Record<string, unknown>): string {
  const dataType = body['data_type'] as DataType;
  if (!CREATABLE.includes(dataType)) throw badRequest(`data_type must be one of ${CREATABLE.join(', ')}.`, { data_type: ['is invalid'] });
  const properties = Object.fromEntries(((body['properties'] ?? []) as { property_name: string; value: unknown }[]).map((p) => [p.property_name, p.value]));
  const display = properties['name'];
  if (typeof display !== 'string' || !display.trim()) throw badRequest('The property "name" (the display name) is missing.', { properties: ['name is missing'] });
  site.table.revision++;
  return site.schema.addField(type, dataType, display, {
    ...(Array.isArray(properties['valid_types']) ? { validTypes: properties['valid_types'] as string[] } : {}),
    ...(Array.isArray(properties['valid_values']) ? { validValues: properties['valid_values'] as string[] } : {}),
    ...(properties['default_value'] !== undefined ? { defaultValue: properties['default_value'] } : {}),
  });
}

export async function createFieldRoute(site: Site, prefix: string, req: Request, slug: string): Promise<Reply> {
  const type = site.schema.typeOfSlug(slug);
  if (!type) throw new SgError(404, 103, 'Not Found', { detail: `Entity type '${slug}' does not exist.` });
  const name = createField(site, type, (await jsonBody(req)) as Record<string, unknown>);
  return json(201, { data: fieldWire(site.schema.entity(type)!, site.schema.field(type, name)!), links: { self: `${prefix}/schema/${slug}/fields/${name}` } });
}
