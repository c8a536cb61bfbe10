/**
 * The relations each data type supports, and what they mean. A relation the
 * type does not support is a 400 listing the valid ones.
 */
import { badRequest } from '../errors.ts';
import type { DataType } from '../schema/index.ts';
import { isLink, toDateTime, type Link, type NamedLink } from '../store/index.ts';

const TEXT = ['is', 'is_not', 'contains', 'not_contains', 'starts_with', 'ends_with', 'in', 'not_in'];
const NUMBER = ['is', 'is_not', 'less_than', 'greater_than', 'between', 'not_between', 'in', 'not_in'];
const DATE = ['is', 'is_not', 'greater_than', 'less_than', 'in_last', 'not_in_last', 'in_next', 'not_in_next', 'in_calendar_day', 'in_calendar_week', 'in_calendar_month', 'in_calendar_year', 'between', 'not_between', 'in', 'not_in'];
const ENTITY = ['is', 'is_not', 'type_is', 'type_is_not', 'in', 'not_in', 'name_contains', 'name_not_contains', 'name_is', 'name_starts_with', 'name_ends_with'];
const LIST = ['is', 'is_not', 'in', 'not_in'];

export const RELATIONS: Partial<Record<DataType, string[]>> = {
  text: TEXT,
  color: TEXT,
  entity_type: TEXT,
  uuid: TEXT,
  number: NUMBER,
  float: NUMBER,
  duration: NUMBER,
  percent: NUMBER,
  date: DATE,
  date_time: DATE,
  entity: ENTITY,
  multi_entity: ENTITY,
  status_list: LIST,
  list: LIST,
  checkbox: ['is', 'is_not'],
  image: ['is', 'is_not'],
  tag_list: ['is', 'is_not', 'name_contains', 'name_not_contains', 'name_is'],
};

/** A test of one stored value against the condition's values. */
export type Test = (value: unknown, name: (link: Link) => NamedLink) => boolean;

const lower = (v: unknown): string => String(v ?? '').toLowerCase();
const sameLink = (a: unknown, b: unknown): boolean => isLink(a) && isLink(b) && a.type === b.type && a.id === b.id;

const UNIT_MS: Record<string, number> = { HOUR: 3_600_000, DAY: 86_400_000, WEEK: 7 * 86_400_000, MONTH: 30 * 86_400_000, YEAR: 365 * 86_400_000 };

function instant(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const normal = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : toDateTime(value);
  return normal ? Date.parse(normal) : undefined;
}

function calendar(relation: string, offset: number): [number, number] {
  const now = new Date();
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  const d = now.getUTCDate();
  if (relation === 'in_calendar_day') return [Date.UTC(y, m, d + offset), Date.UTC(y, m, d + offset + 1)];
  if (relation === 'in_calendar_week') {
    const start = d - ((now.getUTCDay() + 6) % 7) + offset * 7;
    return [Date.UTC(y, m, start), Date.UTC(y, m, start + 7)];
  }
  if (relation === 'in_calendar_month') return [Date.UTC(y, m + offset, 1), Date.UTC(y, m + offset + 1, 1)];
  return [Date.UTC(y + offset, 0, 1), Date.UTC(y + offset + 1, 0, 1)];
}

function window(relation: string, values: unknown[]): [number, number] {
  const [count, unit = 'DAY'] = values;
  const ms = UNIT_MS[String(unit).toUpperCase()];
  if (typeof count !== 'number' || ms === undefined) throw badRequest(`${relation} expects [count, "HOUR"|"DAY"|"WEEK"|"MONTH"|"YEAR"].`, { values });
  const now = Date.now();
  return relation.includes('last') ? [now - count * ms, now] : [now, now + count * ms];
}

function compareTo(dataType: DataType, a: unknown, b: unknown): number | undefined {
  if (dataType === 'date' || dataType === 'date_time') {
    const x = instant(a);
    const y = instant(b);
    return x === undefined || y === undefined ? undefined : x - y;
  }
  return typeof a === 'number' && typeof b === 'number' ? a - b : undefined;
}

function equal(dataType: DataType, a: unknown, b: unknown): boolean {
  if (b === null || b === undefined) return a === null || a === undefined || (Array.isArray(a) && a.length === 0);
  if (isLink(b)) return sameLink(a, b);
  if (typeof b === 'string' && (dataType === 'date' || dataType === 'date_time')) return instant(a) === instant(b);
  if (typeof b === 'string') return lower(a) === lower(b) && a !== null && a !== undefined;
  return a === b;
}

/** Builds the test for a relation on a data type; 400 when the type does not support it. */
export function testFor(owner: string, dataType: DataType, relation: string, values: unknown[], verb = 'read'): Test {
  const valid = RELATIONS[dataType];
  if (!valid) throw badRequest(`API ${verb}() ${owner}'s '${dataType}' data type cannot be used in a filter.`, { [owner]: 'not filterable' });
  if (!valid.includes(relation)) {
    throw badRequest(`API ${verb}() ${owner}'s '${dataType}' data type doesn't support '${relation}' 'relation'`, { relation: `Valid relations: ${valid.join(', ')}` }, `Valid relations: ${valid.join(', ')}.`);
  }
  const one = (): unknown => {
    if (values.length !== 1) throw badRequest(`${owner} ${relation} expects a 1-element array, not ${values.length} values.`, { values });
    return values[0];
  };
  const multi = dataType === 'multi_entity' || dataType === 'tag_list';
  const any = (v: unknown, test: (x: unknown) => boolean): boolean => (multi && Array.isArray(v) ? v.some(test) : test(v));
  switch (relation) {
    case 'is': {
      const want = one();
      return (v) => (multi && (want === null || want === undefined) ? !Array.isArray(v) || v.length === 0 : any(v, (x) => equal(dataType, x, want)));
    }
    case 'is_not': {
      const test = testFor(owner, dataType, 'is', values, verb);
      return (v, name) => !test(v, name);
    }
    case 'in':
    case 'not_in': {
      if (!values.length) throw badRequest(`${owner} ${relation} needs at least one value.`, { values });
      const test: Test = (v) => any(v, (x) => values.some((want) => equal(dataType, x, want)));
      return relation === 'in' ? test : (v, name) => !test(v, name);
    }
    case 'contains':
    case 'not_contains':
    case 'starts_with':
    case 'ends_with': {
      const want = lower(one());
      const hit = (v: unknown) => v !== null && v !== undefined && (relation === 'starts_with' ? lower(v).startsWith(want) : relation === 'ends_with' ? lower(v).endsWith(want) : lower(v).includes(want));
      return relation === 'not_contains' ? (v) => !hit(v) : hit;
    }
    case 'less_than':
    case 'greater_than': {
      const want = one();
      return (v) => {
        const c = compareTo(dataType, v, want);
        return c !== undefined && (relation === 'less_than' ? c < 0 : c > 0);
      };
    }
    case 'between':
    case 'not_between': {
      if (values.length !== 2) throw badRequest(`${owner} ${relation} expects [low, high].`, { values });
      const inside = (v: unknown) => (compareTo(dataType, v, values[0]) ?? -1) >= 0 && (compareTo(dataType, v, values[1]) ?? 1) <= 0;
      return relation === 'between' ? inside : (v) => v !== null && v !== undefined && !inside(v);
    }
    case 'type_is':
    case 'type_is_not': {
      const want = one();
      const hit = (v: unknown) => any(v, (x) => isLink(x) && x.type === want);
      return relation === 'type_is' ? hit : (v) => !hit(v);
    }
    case 'name_contains':
    case 'name_not_contains':
    case 'name_is':
    case 'name_starts_with':
    case 'name_ends_with': {
      const want = lower(one());
      const hit = (v: unknown, name: (link: Link) => NamedLink) =>
        any(v, (x) => {
          const n = isLink(x) ? lower(name(x).name) : lower(x);
          return relation === 'name_is' ? n === want : relation === 'name_starts_with' ? n.startsWith(want) : relation === 'name_ends_with' ? n.endsWith(want) : n.includes(want);
        });
      return relation === 'name_not_contains' ? (v, name) => !hit(v, name) : hit;
    }
    default: {
      const [from, to] = relation.startsWith('in_calendar') ? calendar(relation, Number(one())) : window(relation, values);
      const inside = (v: unknown) => {
        const t = instant(v);
        return t !== undefined && t >= from && t < to + (relation.includes('calendar') ? 0 : 1);
      };
      return relation.startsWith('not_') ? (v) => !inside(v) : inside;
    }
  }
}
