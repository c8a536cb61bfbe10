/**
 * What a publish will create, worked out before any request: the components
 * (with their ids, so one batch can refer to them), registered by path in
 * `ftrack.unmanaged`, and the thumbnail and review movie that are uploaded to
 * `ftrack.server`. The request's shape and the upload files are checked here,
 * every problem at once.
 */
import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { fileNotFound } from '../errors.ts';
import { assertPublishRequest } from '../publish-request.ts';
import type { ComponentInfo, PublishRequest } from '../types.ts';
import type { Operation } from './connection.ts';

export interface PlannedComponent {
  id: string;
  name: string;
  path: string;
  kind: 'file' | 'sequence';
  fileType: string;
  size: number;
  /** True for the thumbnail and the review movie, which go to `ftrack.server`. */
  upload: boolean;
  padding?: number;
  /** `ftr_meta` of a review component. */
  reviewMeta?: Record<string, number>;
  isThumbnail?: boolean;
}

export const REVIEW_COMPONENT = 'ftrackreview-mp4';
export const THUMBNAIL_COMPONENT = 'thumbnail';
/** Components the tracker adds beside the request's own (not reported as the version's files). */
export const isSupportComponent = (name: string): boolean => name === THUMBNAIL_COMPONENT || name.startsWith('ftrackreview-');

let lastMs = 0;
let sequence = 0;
/**
 * A time-ordered UUID (version 7, with a counter for ids made in the same millisecond):
 * components sort by id in the order they were created, which ftrack does not record.
 */
export function orderedId(): string {
  const now = Date.now();
  sequence = now === lastMs ? (sequence + 1) & 0xfff : 0;
  lastMs = now;
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes.writeUInt16BE(0x7000 | sequence, 6);
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function fileTypeOf(path: string): string {
  return extname(path.replace(/%0\d+d|#+/, '0')).toLowerCase();
}

async function sizeOf(what: string, path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error(`${path} is not a file`);
    return info.size;
  } catch (err) {
    throw fileNotFound(what, path, err);
  }
}

export async function planComponents(request: PublishRequest): Promise<PlannedComponent[]> {
  assertPublishRequest(request);
  const planned: PlannedComponent[] = request.components.map((c) => ({
    id: orderedId(),
    name: c.name,
    path: c.path,
    kind: c.kind,
    fileType: fileTypeOf(c.path),
    size: c.size ?? 0,
    upload: false,
    ...(c.kind === 'sequence' ? { padding: c.frames.padding } : {}),
  }));
  if (request.reviewable) {
    const r = request.reviewable;
    planned.push({
      id: orderedId(),
      name: REVIEW_COMPONENT,
      path: r.path,
      kind: 'file',
      fileType: fileTypeOf(r.path),
      size: await sizeOf('reviewable', r.path),
      upload: true,
      reviewMeta: { frameIn: r.frameIn, frameOut: r.frameOut, frameRate: r.frameRate, width: r.width, height: r.height },
    });
  }
  if (request.thumbnail) {
    const path = request.thumbnail;
    planned.push({ id: orderedId(), name: THUMBNAIL_COMPONENT, path, kind: 'file', fileType: fileTypeOf(path), size: await sizeOf('thumbnail', path), upload: true, isThumbnail: true });
  }
  return planned;
}

/** The operation that creates a planned component on a version. */
export function componentOperation(c: PlannedComponent, versionId: string): Operation {
  const type = c.kind === 'sequence' ? 'SequenceComponent' : 'FileComponent';
  return {
    action: 'create',
    entity_type: type,
    entity_data: {
      __entity_type__: type,
      id: c.id,
      name: c.name,
      file_type: c.fileType,
      version_id: versionId,
      size: c.size,
      ...(c.kind === 'sequence' ? { padding: c.padding ?? 4 } : {}),
    },
  };
}

export const uploadSourceOf = (c: PlannedComponent) => ({ componentId: c.id, path: c.path, fileName: basename(c.path), size: c.size });

export const infoOf = (c: PlannedComponent): ComponentInfo => ({ id: c.id, name: c.name, kind: c.kind, path: c.path });
