/**
 * Search filters in both of ShotGrid's forms. A flat list of conditions is an
 * implicit AND and goes as the array form; anything with a nested group goes as
 * the hash form. Each form has its own content type on `_search`.
 */

/** `[path, operator, value]`; `between` and `in_last` take their pair as one array value. */
export type Condition = [path: string, operator: string, value: unknown];
export interface FilterGroup {
  logical_operator: 'and' | 'or';
  conditions: Filter[];
}
export type Filter = Condition | FilterGroup;

/** The Python API's spelling of a group, accepted and translated. */
export interface PythonFilterGroup {
  filter_operator: 'all' | 'any';
  filters: (unknown[] | PythonFilterGroup)[];
}

export const ARRAY_TYPE = 'application/vnd+shotgun.api3_array+json';
export const HASH_TYPE = 'application/vnd+shotgun.api3_hash+json';

export const and = (...conditions: Filter[]): FilterGroup => ({ logical_operator: 'and', conditions });
export const or = (...conditions: Filter[]): FilterGroup => ({ logical_operator: 'or', conditions });

/** Brings a python-style group or a flat `[f, op, a, b]` condition to the REST shape. */
export function normalizeFilter(filter: Filter | PythonFilterGroup | unknown[]): Filter {
  if (Array.isArray(filter)) {
    const [path, operator, ...values] = filter;
    if (typeof path !== 'string' || typeof operator !== 'string' || values.length === 0) {
      throw new TypeError(`A filter condition is [field, operator, value]; got ${JSON.stringify(filter)}`);
    }
    return [path, operator, values.length === 1 ? values[0] : values];
  }
  if ('filter_operator' in filter) {
    return { logical_operator: filter.filter_operator === 'any' ? 'or' : 'and', conditions: filter.filters.map(normalizeFilter) };
  }
  const group = filter as FilterGroup;
  if (group.logical_operator !== 'and' && group.logical_operator !== 'or') {
    throw new TypeError(`A filter group needs logical_operator "and" or "or"; got ${JSON.stringify(group.logical_operator)}`);
  }
  return { logical_operator: group.logical_operator, conditions: group.conditions.map(normalizeFilter) };
}

/** The `_search` body's `filters` and the content type that announces its form. */
export function searchFilters(filters: Filter[] | FilterGroup | PythonFilterGroup): { filters: Filter[] | FilterGroup; contentType: string } {
  if (!Array.isArray(filters)) return { filters: normalizeFilter(filters) as FilterGroup, contentType: HASH_TYPE };
  const list = filters.map(normalizeFilter);
  if (list.every((f) => Array.isArray(f))) return { filters: list, contentType: ARRAY_TYPE };
  return { filters: and(...list), contentType: HASH_TYPE };
}
