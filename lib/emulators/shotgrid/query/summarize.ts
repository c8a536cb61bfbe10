/**
 * Summaries over the rows a filter matches: record_count, count, sum,
 * maximum, minimum, average, earliest, latest, checked, unchecked — overall
 * and per group (`grouping: [{field, type: "exact", direction}]`).
 */
import { badRequest } from '../errors.ts';
import type { Records, Row } from '../store/index.ts';
import { find } from './find.ts';
import type { FilterNode } from './filters.ts';
import { resolvePath, valuesAt } from './paths.ts';

export interface SummaryField {
  field: string;
  type: string;
}

export interface Grouping {
  field: string;
  type?: string;
  direction?: 'asc' | 'desc';
}

const TYPES = ['record_count', 'count', 'sum', 'maximum', 'minimum', 'average', 'earliest', 'latest', 'checked', 'unchecked'];

function summarise(records: Records, type: string, rows: Row[], summary: SummaryField): unknown {
  const path = resolvePath(records.schema, type, summary.field);
  const values = rows.map((r) => valuesAt(records.table, r, path)[0]).filter((v) => v !== null && v !== undefined);
  const numbers = values.filter((v): v is number => typeof v === 'number');
  switch (summary.type) {
    case 'record_count':
      return rows.length;
    case 'count':
      return values.length;
    case 'sum':
      return numbers.reduce((a, b) => a + b, 0);
    case 'maximum':
      return numbers.length ? Math.max(...numbers) : null;
    case 'minimum':
      return numbers.length ? Math.min(...numbers) : null;
    case 'average':
      return numbers.length ? numbers.reduce((a, b) => a + b, 0) / numbers.length : null;
    case 'earliest':
      return values.map(String).sort()[0] ?? null;
    case 'latest':
      return values.map(String).sort().pop() ?? null;
    case 'checked':
      return values.filter((v) => v === true).length;
    default:
      return values.filter((v) => v === false).length + rows.length - values.length;
  }
}

function check(records: Records, type: string, summaries: SummaryField[], grouping: Grouping[]): void {
  for (const s of summaries) {
    if (!TYPES.includes(s.type)) throw badRequest(`Unknown summary type ${JSON.stringify(s.type)}; valid types are ${TYPES.join(', ')}.`, { summary_fields: s });
    resolvePath(records.schema, type, s.field, 'summarize');
  }
  for (const g of grouping) resolvePath(records.schema, type, g.field, 'summarize');
}

const groupName = (records: Records, value: unknown): string =>
  value && typeof value === 'object' && 'type' in value ? String(records.named(value as { type: string; id: number }).name) : String(value ?? '');

export function summarize(records: Records, type: string, filters: FilterNode, summaries: SummaryField[], grouping: Grouping[] = []): Record<string, unknown> {
  const entity = records.entity(type);
  check(records, entity.type, summaries, grouping);
  const rows = find(records, entity.type, { filters, verb: 'summarize' });
  const totals = (subset: Row[]) => Object.fromEntries(summaries.map((s) => [s.field, summarise(records, entity.type, subset, s)]));
  const groupBy = (subset: Row[], levels: Grouping[]): Record<string, unknown>[] => {
    const [level, ...rest] = levels;
    if (!level) return [];
    const path = resolvePath(records.schema, entity.type, level.field);
    const buckets = new Map<string, { value: unknown; rows: Row[] }>();
    for (const row of subset) {
      const value = valuesAt(records.table, row, path)[0] ?? null;
      const key = JSON.stringify(value);
      const bucket = buckets.get(key) ?? { value, rows: [] };
      bucket.rows.push(row);
      buckets.set(key, bucket);
    }
    const groups = [...buckets.values()].map((b) => ({
      group_name: groupName(records, b.value),
      group_value: b.value && typeof b.value === 'object' ? records.named(b.value as { type: string; id: number }) : b.value,
      summaries: totals(b.rows),
      ...(rest.length ? { groups: groupBy(b.rows, rest) } : {}),
    }));
    groups.sort((a, b) => a.group_name.localeCompare(b.group_name) * (level.direction === 'desc' ? -1 : 1));
    return groups;
  };
  return { summaries: totals(rows), groups: groupBy(rows, grouping) };
}
