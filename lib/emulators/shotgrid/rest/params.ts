/**
 * The read options of list and search requests, from the query string or the
 * JSON body (clients send both): fields, sort, page, options.
 */
import { badRequest } from '../errors.ts';
import type { SortKey } from '../query/index.ts';

export interface ReadParams {
  fields: string[] | undefined;
  sort: SortKey[];
  pageSize: number;
  page: number;
  returnOnly: 'active' | 'retired';
  includeArchivedProjects: boolean;
}

const list = (value: unknown): string[] | undefined =>
  typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : Array.isArray(value) ? value.map(String) : undefined;

function sortKeys(value: unknown): SortKey[] {
  if (value === undefined) return [];
  if (value === '') throw badRequest('sort must be filled', { sort: ['must be filled'] });
  const keys = list(value) ?? [];
  return keys.map((k) => {
    if (/\s|^\+/.test(k)) throw badRequest(`Invalid sort key ${JSON.stringify(k)}: use field or -field.`, { sort: [k] });
    return k.startsWith('-') ? { field: k.slice(1), direction: 'desc' } : { field: k, direction: 'asc' };
  });
}

function whole(value: unknown, name: 'size' | 'number', max: number): number | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw badRequest(`page[${name}] must be an integer`, { page: { [name]: ['must be an integer'] } });
  if (n < 1) throw badRequest(`page[${name}] must be greater than 0`, { page: { [name]: ['must be greater than 0'] } });
  if (n > max) throw badRequest(`page[${name}] must be less than ${max}`, { page: { [name]: [`must be less than ${max}`] } });
  return n;
}

export function readParams(query: URLSearchParams, body: Record<string, unknown> = {}): ReadParams {
  const page = (body['page'] ?? {}) as Record<string, unknown>;
  const options = (body['options'] ?? {}) as Record<string, unknown>;
  const returnOnly = query.get('options[return_only]') ?? options['return_only'] ?? 'active';
  if (returnOnly !== 'active' && returnOnly !== 'retired') throw badRequest('return_only must be one of: active, retired', { options: { return_only: ['must be active or retired'] } });
  const archived = query.get('options[include_archived_projects]') ?? options['include_archived_projects'];
  return {
    fields: list(query.get('fields') ?? body['fields'] ?? undefined),
    sort: sortKeys(query.get('sort') ?? body['sort'] ?? undefined),
    pageSize: whole(query.get('page[size]') ?? page['size'], 'size', 5000) ?? 500,
    page: whole(query.get('page[number]') ?? page['number'], 'number', Number.MAX_SAFE_INTEGER) ?? 1,
    returnOnly,
    includeArchivedProjects: archived === undefined ? true : archived === true || archived === 'true',
  };
}

/** The query string of the next or previous page, keeping every other parameter. */
export function pageQuery(query: URLSearchParams, params: ReadParams, page: number): string {
  const next = new URLSearchParams(query);
  next.set('page[number]', String(page));
  next.set('page[size]', String(params.pageSize));
  return decodeURIComponent(next.toString());
}
