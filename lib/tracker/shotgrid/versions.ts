/**
 * Versions as handoff names them on ShotGrid: a Version's `code` is
 * `<asset>_v<NNN>` under the task's shot, its PublishedFiles are the
 * components (`name` = component name, `path` = where the files stay).
 */
import path from 'node:path';
import type { ComponentInfo, Status, VersionInfo } from '../types.ts';
import { link, linkOf, parseTimestamp } from './client/index.ts';
import type { FlatRecord, ShotgridClient } from './client/index.ts';
import { str } from './mapping.ts';

export const VERSION_FIELDS = ['code', 'entity', 'sg_task', 'user', 'description', 'sg_status_list', 'created_at', 'image', 'sg_uploaded_movie', 'project'];
export const PUBLISHED_FILE_FIELDS = ['name', 'code', 'path', 'path_cache', 'version', 'published_file_type'];

const CODE = /^(.+)_v(\d+)$/;

export function versionCode(asset: string, version: number): string {
  return `${asset}_v${String(version).padStart(3, '0')}`;
}

/** Asset and number of a version code handoff wrote; undefined for other names. */
export function parseVersionCode(code: string): { asset: string; version: number } | undefined {
  const m = CODE.exec(code);
  return m ? { asset: m[1]!, version: Number(m[2]) } : undefined;
}

/** A stable id for an asset (stream): the shot it sits under and its name. */
export function assetIdOf(entity: { type: string; id: number } | undefined, asset: string): string {
  return `${entity?.type ?? 'Project'}-${entity?.id ?? 0}/${asset}`;
}

export function componentOf(row: FlatRecord): ComponentInfo {
  const stored = row['path'] as { local_path?: string; local_path_linux?: string; url?: string } | null | undefined;
  const where = stored?.local_path || stored?.local_path_linux || str(row['path_cache']) || str(stored?.url);
  return { id: String(row.id), name: str(row['name']), kind: /%0\d+d/.test(where) ? 'sequence' : 'file', path: where };
}

export async function componentsOf(client: ShotgridClient, versionIds: number[], pageSize: number): Promise<Map<number, ComponentInfo[]>> {
  const out = new Map<number, ComponentInfo[]>();
  if (!versionIds.length) return out;
  const rows = await client.findAll('PublishedFile', [['version', 'in', versionIds.map((id) => link('Version', id))]], { fields: PUBLISHED_FILE_FIELDS, pageSize });
  for (const row of rows) {
    const v = linkOf(row['version'])?.id;
    if (v !== undefined) out.set(v, [...(out.get(v) ?? []), componentOf(row)]);
  }
  return out;
}

export async function readVersions(client: ShotgridClient, taskId: number, statuses: Status[], pageSize: number, asset?: string): Promise<VersionInfo[]> {
  const filters: [string, string, unknown][] = [['sg_task', 'is', link('Task', taskId)]];
  if (asset !== undefined) filters.push(['code', 'starts_with', `${asset}_v`]);
  const rows = (await client.findAll('Version', filters, { fields: VERSION_FIELDS, pageSize })).flatMap((row) => {
    const parsed = parseVersionCode(str(row['code']));
    return parsed && (asset === undefined || parsed.asset === asset) ? [{ row, ...parsed }] : [];
  });
  const components = await componentsOf(client, rows.map((r) => r.row.id), pageSize);
  return rows
    .sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : a.version - b.version))
    .map(({ row, asset: name, version }): VersionInfo => {
      const code = str(row['sg_status_list']);
      const status = statuses.find((s) => s.id === code);
      const author = linkOf(row['user']);
      const comment = str(row['description']);
      return {
        id: String(row.id),
        asset: name,
        assetId: assetIdOf(linkOf(row['entity']), name),
        version,
        taskId: String(taskId),
        createdAt: parseTimestamp(row['created_at']) ?? new Date(0),
        ...(author?.type === 'HumanUser' ? { authorId: String(author.id) } : {}),
        ...(comment ? { comment } : {}),
        ...(status ? { status } : {}),
        components: components.get(row.id) ?? [],
        hasThumbnail: Boolean(row['image']),
        hasReviewable: Boolean(row['sg_uploaded_movie']),
      };
    });
}

/** The PublishedFileType code for a component: image sequences, movies, Nuke scripts, else its extension. */
export function publishedFileTypeOf(kind: 'file' | 'sequence', file: string): string {
  if (kind === 'sequence') return 'Rendered Image';
  const ext = path.extname(file).slice(1).toLowerCase();
  const known: Record<string, string> = { nk: 'Nuke Script', mov: 'Movie', mp4: 'Movie', exr: 'Image', dpx: 'Image', png: 'Image', jpg: 'Image', tif: 'Image', abc: 'Alembic Cache' };
  return known[ext] ?? (ext ? ext.toUpperCase() : 'File');
}
