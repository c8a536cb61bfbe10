/**
 * Schema reads, cached for the client's life: `GET /schema/{Type}/fields`
 * unwrapped from ShotGrid's `{value, editable}` wrappers, and the status codes
 * a status_list field offers (valid minus hidden values, in order, with labels).
 */
import type { TokenManager } from './auth.ts';
import type { Http } from './http.ts';

export interface FieldSchema {
  name: string;
  dataType: string;
  editable: boolean;
  mandatory: boolean;
  validTypes: string[];
  validValues: string[];
  displayValues: Record<string, string>;
  hiddenValues: string[];
  defaultValue: unknown;
}

export interface StatusChoice {
  code: string;
  label: string;
}

export interface SchemaCache {
  /** Fields of an entity type (of one project when `projectId` is given). */
  fields(type: string, projectId?: number): Promise<Map<string, FieldSchema>>;
  /** The codes a status_list field offers, in schema order, without hidden ones. */
  statuses(type: string, field?: string, projectId?: number): Promise<StatusChoice[]>;
  /** Adds a custom field (ShotGrid names it `sg_` + the display name in snake case); answers its name. */
  createField(type: string, dataType: string, displayName: string): Promise<string>;
  /** Forgets everything read so far (after a schema change). */
  clear(): void;
}

type Wrapped = { value?: unknown } | undefined;
const value = (w: unknown): unknown => (w as Wrapped)?.value;
const strings = (w: unknown): string[] => (Array.isArray(value(w)) ? (value(w) as unknown[]).map(String) : []);

export function fieldSchemaOf(name: string, raw: Record<string, unknown>): FieldSchema {
  const props = (raw['properties'] ?? {}) as Record<string, unknown>;
  const display = value(props['display_values']);
  return {
    name,
    dataType: String(value(raw['data_type']) ?? ''),
    editable: value(raw['editable']) !== false,
    mandatory: value(raw['mandatory']) === true,
    validTypes: strings(props['valid_types']),
    validValues: strings(props['valid_values']),
    displayValues: typeof display === 'object' && display !== null ? Object.fromEntries(Object.entries(display).map(([k, v]) => [k, String(v)])) : {},
    hiddenValues: strings(props['hidden_values']),
    defaultValue: value(props['default_value']),
  };
}

export function createSchemaCache(http: Http, tokens: TokenManager): SchemaCache {
  const cache = new Map<string, Promise<Map<string, FieldSchema>>>();
  const fields = (type: string, projectId?: number): Promise<Map<string, FieldSchema>> => {
    const key = `${type}\u0000${projectId ?? ''}`;
    let entry = cache.get(key);
    if (!entry) {
      entry = http
        .request<{ data: Record<string, Record<string, unknown>> }>({ method: 'GET', path: `/schema/${encodeURIComponent(type)}/fields`, query: { project_id: projectId }, safe: true }, tokens)
        .then((body) => new Map(Object.entries(body?.data ?? {}).map(([name, raw]) => [name, fieldSchemaOf(name, raw)])));
      entry.catch(() => cache.delete(key));
      cache.set(key, entry);
    }
    return entry;
  };
  return {
    fields,
    async statuses(type, field = 'sg_status_list', projectId) {
      const schema = (await fields(type, projectId)).get(field);
      if (!schema) return [];
      const hidden = new Set(schema.hiddenValues);
      return schema.validValues.filter((code) => !hidden.has(code)).map((code) => ({ code, label: schema.displayValues[code] ?? code }));
    },
    async createField(type, dataType, displayName) {
      const body = await http.request<{ data?: unknown }>(
        { method: 'POST', path: `/schema/${encodeURIComponent(type)}/fields`, body: { data_type: dataType, properties: [{ property_name: 'name', value: displayName }] }, safe: false },
        tokens,
      );
      for (const key of [...cache.keys()].filter((k) => k.startsWith(`${type}\u0000`))) cache.delete(key);
      const data = body?.data as { name?: unknown } | Record<string, unknown> | undefined;
      const name = typeof data?.['name'] === 'string' ? data['name'] : Object.keys(data ?? {})[0];
      return name ?? `sg_${displayName.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
    },
    clear: () => cache.clear(),
  };
}
