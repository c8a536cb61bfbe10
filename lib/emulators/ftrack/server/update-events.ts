/**
 * `ftrack.update` events for committed changes, shaped like the server's:
 * legacy lower-case entity types, changed keys, and the parent chain up to the
 * project.
 */
import type { EntityChange } from '../api/context.ts';
import { parentChain, type EntityRecord } from '../model/index.ts';
import type { EntityGraph } from '../store/index.ts';

const legacyType = (record: EntityRecord): string =>
  record.__entity_type__ === 'Project' ? 'show' : record.context_type === 'task' ? 'task' : record.__entity_type__.toLowerCase();

const describe = (record: EntityRecord) => ({
  entityId: record.id,
  entityType: legacyType(record),
  entity_type: record.__entity_type__,
  parentId: record.parent_id ?? record.asset_id ?? record.version_id ?? null,
});

export function updateEvent(graph: EntityGraph, changes: EntityChange[], user: EntityRecord | undefined): { topic: string; data: Record<string, unknown> } {
  const entities = changes.map((change) => {
    const parents = [change.record, ...parentChain(change.record, graph)].map(describe);
    return {
      ...describe(change.record),
      action: change.action,
      keys: change.keys,
      changes: change.changes,
      objectTypeId: change.record.object_type_id ?? null,
      parents,
    };
  });
  return {
    topic: 'ftrack.update',
    data: {
      entities,
      user: user ? { userid: user.id, name: `${String(user.first_name ?? '')} ${String(user.last_name ?? '')}`.trim() } : null,
      parents: [...new Set(entities.flatMap((e) => e.parents.map((p) => p.entityId)))],
    },
  };
}
