/**
 * Component upload to the `ftrack.server` location, done here because the
 * client's createComponent needs a browser XMLHttpRequest. The flow is the
 * client's own: `get_upload_metadata` (batched with the component's create),
 * PUT the bytes (in parts when large), then `complete_multipart_upload` and the
 * ComponentLocation (batched with the rest of the publish).
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { HandoffError } from '../../core/errors.ts';
import type { Operation } from './connection.ts';
import { LOCATIONS } from './mapping.ts';

/** Part size for multipart uploads; files up to two parts go in one PUT, as ftrack's client does. */
export const PART_SIZE = 16 * 1024 * 1024;

export interface UploadSource {
  componentId: string;
  path: string;
  fileName: string;
  size: number;
}

type UploadMetadata =
  | { url: string; headers?: Record<string, string>; component_id: string }
  | { upload_id: string; urls: { signed_url: string; part_number: number }[]; component_id: string };

export type Uploaded = { componentId: string; multipart?: { uploadId: string; parts: { e_tag: string; part_number: number }[] } };

export function uploadMetadataOperation(source: UploadSource): Operation {
  const parts = source.size > 2 * PART_SIZE ? Math.ceil(source.size / PART_SIZE) : null;
  return { action: 'get_upload_metadata', file_name: source.fileName, file_size: source.size, component_id: source.componentId, parts };
}

function uploadError(source: UploadSource, status: number | undefined, cause?: unknown): HandoffError {
  const retryable = status === undefined || status >= 500 || status === 429;
  return new HandoffError('FTRACK_UPLOAD_FAILED', `Uploading ${source.fileName} to ftrack failed${status ? ` (HTTP ${status})` : ''}.`, {
    cause,
    retryable,
    hint: retryable ? 'Publish again: the version is reused and only the missing files are sent.' : 'Check the file and the storage of the ftrack server.',
    details: { path: source.path, componentId: source.componentId, ...(status ? { status } : {}) },
  });
}

async function put(source: UploadSource, url: string, headers: Record<string, string>, body: BodyInit, length: number): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'PUT',
      headers: { ...headers, 'content-length': String(length) },
      body,
      duplex: 'half',
    } as RequestInit);
  } catch (err) {
    throw uploadError(source, undefined, err);
  }
  if (!response.ok) throw uploadError(source, response.status, new Error(await response.text().catch(() => '')));
  await response.arrayBuffer().catch(() => undefined);
  return response;
}

async function readPart(path: string, start: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, start);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Sends the bytes where the metadata says. */
export async function putBytes(source: UploadSource, metadata: UploadMetadata): Promise<Uploaded> {
  if ('url' in metadata) {
    const headers = Object.fromEntries(Object.entries(metadata.headers ?? {}).filter(([k]) => k.toLowerCase() !== 'content-length'));
    const body = Readable.toWeb(createReadStream(source.path)) as unknown as BodyInit;
    await put(source, metadata.url, headers, body, source.size);
    return { componentId: source.componentId };
  }
  const parts: { e_tag: string; part_number: number }[] = [];
  for (const part of [...metadata.urls].sort((a, b) => a.part_number - b.part_number)) {
    const start = (part.part_number - 1) * PART_SIZE;
    const chunk = await readPart(source.path, start, Math.min(PART_SIZE, source.size - start));
    const response = await put(source, part.signed_url, {}, new Uint8Array(chunk), chunk.length);
    parts.push({ e_tag: (response.headers.get('etag') ?? '').replaceAll('"', ''), part_number: part.part_number });
  }
  return { componentId: source.componentId, multipart: { uploadId: metadata.upload_id, parts } };
}

/** Operations that make an uploaded component available in `ftrack.server`. */
export function finishOperations(uploaded: Uploaded): Operation[] {
  const operations: Operation[] = [];
  if (uploaded.multipart) {
    operations.push({ action: 'complete_multipart_upload', upload_id: uploaded.multipart.uploadId, parts: uploaded.multipart.parts, component_id: uploaded.componentId });
  }
  operations.push({
    action: 'create',
    entity_type: 'ComponentLocation',
    entity_data: { __entity_type__: 'ComponentLocation', component_id: uploaded.componentId, location_id: LOCATIONS.server, resource_identifier: uploaded.componentId },
  });
  return operations;
}

export type { UploadMetadata };
