/**
 * Reading published versions back: the AssetVersion rows, their components
 * with the paths their locations hold, and whether a thumbnail and a review
 * movie were stored.
 */
import type { ComponentInfo, Status, VersionInfo } from '../types.ts';
import type { FtrackConnection, Row } from './connection.ts';
import { LOCATIONS, str, toDate, toStatus } from './mapping.ts';
import { isSupportComponent } from './publish-plan.ts';

export const STATUS_QUERY = 'select id, name, sort, state.short, state.name from Status order by sort';

export interface StoredComponent extends ComponentInfo {
  versionId: string;
  /** Location ids the component is registered in. */
  locations: string[];
}

/** Components of the versions, in creation order (handoff's ids are time-ordered), with the path of their registered location. */
export async function componentsOf(conn: FtrackConnection, versionIds: string[]): Promise<StoredComponent[]> {
  const components = await conn.queryIn((list) => `select id, name, version_id from Component where version_id in (${list})`, versionIds);
  const locations = await conn.queryIn(
    (list) => `select component_id, location_id, resource_identifier from ComponentLocation where component_id in (${list})`,
    components.map((c) => str(c['id'])),
  );
  return [...components].sort((a, b) => (str(a['id']) < str(b['id']) ? -1 : 1)).map((c) => {
    const own = locations.filter((l) => str(l['component_id']) === str(c['id']));
    const byPath = own.find((l) => str(l['location_id']) !== LOCATIONS.server) ?? own[0];
    return {
      id: str(c['id']),
      name: str(c['name']),
      kind: str(c['__entity_type__']) === 'SequenceComponent' ? 'sequence' : 'file',
      path: str(byPath?.['resource_identifier']),
      versionId: str(c['version_id']),
      locations: own.map((l) => str(l['location_id'])),
    };
  });
}

export const publicInfo = (c: StoredComponent): ComponentInfo => ({ id: c.id, name: c.name, kind: c.kind, path: c.path });

/** Versions matching `where` (an AssetVersion condition), ordered by asset name then number. */
export async function readVersions(conn: FtrackConnection, where: string): Promise<VersionInfo[]> {
  const rows = await conn.queryAll(
    `select id, version, asset_id, asset.name, task_id, date, user_id, comment, status_id, thumbnail_id from AssetVersion where ${where} order by id`,
  );
  if (rows.length === 0) return [];
  const [statuses, components] = await Promise.all([conn.query(STATUS_QUERY), componentsOf(conn, rows.map((r) => str(r['id'])))]);
  const statusById = new Map<string, Status>(statuses.map((s) => [str(s['id']), toStatus(s)]));
  return rows
    .map((r): VersionInfo => {
      const id = str(r['id']);
      const own = components.filter((c) => c.versionId === id);
      const status = statusById.get(str(r['status_id']));
      const comment = str(r['comment']);
      return {
        id,
        asset: str((r['asset'] as Row | undefined)?.['name']),
        assetId: str(r['asset_id']),
        version: Number(r['version']),
        taskId: str(r['task_id']),
        createdAt: toDate(r['date']),
        ...(str(r['user_id']) ? { authorId: str(r['user_id']) } : {}),
        ...(comment ? { comment } : {}),
        ...(status ? { status } : {}),
        components: own.filter((c) => !isSupportComponent(c.name)).map(publicInfo),
        hasThumbnail: Boolean(r['thumbnail_id']),
        hasReviewable: own.some((c) => c.name.startsWith('ftrackreview-') && c.locations.includes(LOCATIONS.server)),
      };
    })
    .sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : a.version - b.version));
}
