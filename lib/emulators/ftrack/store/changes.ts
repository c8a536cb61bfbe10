/** A record of what a batch changed, for `ftrack.update` events. */
import type { EntityRecord } from '../model/index.ts';

export interface EntityChange {
  action: 'add' | 'update' | 'remove';
  entityType: string;
  entityId: string;
  keys: string[];
  changes: Record<string, { old: unknown; new: unknown }>;
  record: EntityRecord;
}

export function describeChange(action: EntityChange['action'], record: EntityRecord, before?: EntityRecord): EntityChange {
  const keys = Object.keys(record).filter((k) => k !== '__entity_type__' && (!before || before[k] !== record[k]));
  const changes = Object.fromEntries(
    keys.map((k) => [k, { old: action === 'add' ? null : (before?.[k] ?? null), new: action === 'remove' ? null : (record[k] ?? null) }]),
  );
  return { action, entityType: record.__entity_type__, entityId: String(record.id ?? record.entity_id ?? ''), keys, changes, record: { ...record } };
}
