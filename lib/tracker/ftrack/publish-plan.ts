/**
 * What a publish will create, worked out before any request: the components
 * (with their ids, so one batch can refer to them), which are uploaded to
 * `ftrack.server` and which are registered by path, and the checks that must
 * pass first, all reported at once.
 */
import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { HandoffError } from '../../core/errors.ts';
import type { PublishRequest } from '../types.ts';
import type { ResolvedFtrackOptions } from './options.ts';

export interface PlannedComponent {
  id: string;
  name: string;
  path: string;
  entityType: 'FileComponent' | 'SequenceComponent';
  fileType: string;
  size: number;
  upload: boolean;
  padding?: number;
  /** `ftr_meta` for review components. */
  reviewMeta?: Record<string, number>;
  isThumbnail?: boolean;
}

function fileTypeOf(path: string): string {
  return extname(path.replace(/(%0\d+d|#+|@+)/, '0')).toLowerCase();
}

export async function planComponents(request: PublishRequest, options: ResolvedFtrackOptions): Promise<PlannedComponent[]> {
  const problems: string[] = [];
  const planned: PlannedComponent[] = [];
  const add = async (component: Omit<PlannedComponent, 'id' | 'size' | 'fileType'>): Promise<void> => {
    let size = 0;
    if (component.entityType === 'FileComponent') {
      try {
        const info = await stat(component.path);
        if (!info.isFile()) problems.push(`${component.name}: ${component.path} is not a file`);
        size = info.size;
      } catch {
        problems.push(`${component.name}: ${component.path} does not exist`);
      }
    }
    planned.push({ ...component, id: randomUUID(), size, fileType: fileTypeOf(component.path) });
  };

  for (const c of request.components) {
    if (c.frames) {
      await add({ name: c.name, path: c.path, entityType: 'SequenceComponent', upload: false, padding: c.frames.padding });
    } else {
      await add({ name: c.name, path: c.path, entityType: 'FileComponent', upload: options.storeComponents === 'server' || c.name.startsWith('ftrackreview-') });
    }
  }
  if (request.reviewable) {
    const r = request.reviewable;
    await add({
      name: 'ftrackreview-mp4',
      path: r.path,
      entityType: 'FileComponent',
      upload: true,
      reviewMeta: { frameIn: r.frameIn, frameOut: r.frameOut, frameRate: r.frameRate, width: r.width, height: r.height },
    });
  }
  if (request.thumbnail) await add({ name: 'thumbnail', path: request.thumbnail, entityType: 'FileComponent', upload: true, isThumbnail: true });

  const names = planned.map((c) => c.name);
  for (const name of new Set(names.filter((n, i) => names.indexOf(n) !== i))) problems.push(`${name}: two components have this name`);
  if (!request.idempotencyKey) problems.push('idempotencyKey: required so a retried publish creates nothing twice');
  if (!request.asset) problems.push('asset: required');
  if (problems.length) {
    throw new HandoffError('FTRACK_PUBLISH_INVALID', `The publish of ${request.asset || '(no asset)'} cannot start:\n  ${problems.join('\n  ')}`, {
      hint: 'Fix the listed files and names, then publish again.',
      details: { problems, taskId: request.taskId },
    });
  }
  return planned;
}

/** The operation that creates a planned component on a version. */
export function componentOperation(c: PlannedComponent, versionId: string) {
  return {
    action: 'create' as const,
    entity_type: c.entityType,
    entity_data: {
      __entity_type__: c.entityType,
      id: c.id,
      name: c.name,
      file_type: c.fileType,
      version_id: versionId,
      ...(c.entityType === 'FileComponent' ? { size: c.size } : { padding: c.padding ?? 4 }),
    },
  };
}

export const uploadSourceOf = (c: PlannedComponent) => ({ componentId: c.id, path: c.path, fileName: basename(c.path), size: c.size });
