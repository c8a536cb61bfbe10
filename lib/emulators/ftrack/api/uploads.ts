/**
 * Upload targets handed out by get_upload_metadata: a single PUT URL, or one
 * URL per part plus complete_multipart_upload. Each URL carries a random
 * token (like a signed URL); the PUT checks the size it was issued for and,
 * when sent, the body's Content-MD5.
 */
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { validationError } from '../errors.ts';
import type { BlobStore } from './blobs.ts';

interface Target {
  componentId: string;
  /** Expected byte count for single uploads; parts are checked at completion. */
  size: number | undefined;
  uploadId: string | undefined;
  part: number | undefined;
}

interface Multipart {
  componentId: string;
  size: number;
  parts: Map<number, { bytes: Buffer; etag: string }>;
}

const MIME: Record<string, string> = {
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.txt': 'text/plain',
  '.pdf': 'application/pdf',
};

export const mimeOf = (fileName: string): string => MIME[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';

export type PutOutcome = { ok: true; etag: string } | { ok: false; status: number; message: string };

export class UploadTargets {
  private readonly targets = new Map<string, Target>();
  private readonly multiparts = new Map<string, Multipart>();
  private readonly blobs: BlobStore;

  constructor(blobs: BlobStore) {
    this.blobs = blobs;
  }

  private issue(baseUrl: string, target: Target): string {
    const token = randomUUID();
    this.targets.set(token, target);
    return `${baseUrl}/upload/${token}`;
  }

  single(baseUrl: string, componentId: string, fileName: string, size: number): Record<string, unknown> {
    const url = this.issue(baseUrl, { componentId, size, uploadId: undefined, part: undefined });
    return { url, headers: { 'Content-Type': mimeOf(fileName), 'Content-Length': String(size) }, component_id: componentId };
  }

  multipart(baseUrl: string, componentId: string, size: number, parts: number): Record<string, unknown> {
    if (!Number.isInteger(parts) || parts < 1 || parts > 10_000) throw validationError(`parts must be a whole number from 1 to 10000, not ${parts}.`);
    const uploadId = randomUUID();
    this.multiparts.set(uploadId, { componentId, size, parts: new Map() });
    const urls = Array.from({ length: parts }, (_, i) => ({
      signed_url: this.issue(baseUrl, { componentId, size: undefined, uploadId, part: i + 1 }),
      part_number: i + 1,
    }));
    return { component_id: componentId, upload_id: uploadId, urls };
  }

  /** Stores the body of a PUT to an issued URL. */
  async put(token: string, bytes: Buffer, contentMd5?: string): Promise<PutOutcome> {
    const target = this.targets.get(token);
    if (!target) return { ok: false, status: 403, message: 'Unknown or expired upload URL.' };
    const digest = createHash('md5').update(bytes).digest();
    const etag = digest.toString('hex');
    if (contentMd5 !== undefined && contentMd5 !== digest.toString('base64')) {
      return { ok: false, status: 400, message: 'The Content-MD5 header does not match the body.' };
    }
    if (target.uploadId) {
      const upload = this.multiparts.get(target.uploadId);
      if (!upload) return { ok: false, status: 404, message: 'The multipart upload is already complete.' };
      upload.parts.set(target.part ?? 0, { bytes, etag });
      return { ok: true, etag };
    }
    if (target.size !== undefined && bytes.length !== target.size) {
      return { ok: false, status: 400, message: `Expected ${target.size} bytes, received ${bytes.length}.` };
    }
    await this.blobs.put(target.componentId, bytes);
    this.targets.delete(token);
    return { ok: true, etag };
  }

  /** Joins the parts of a multipart upload in part order, checking each ETag. */
  async complete(uploadId: string, parts: { e_tag?: unknown; part_number?: unknown }[]): Promise<string> {
    const upload = this.multiparts.get(uploadId);
    if (!upload) throw validationError(`No multipart upload with id ${JSON.stringify(uploadId)}.`);
    const ordered = [...parts].sort((a, b) => Number(a.part_number) - Number(b.part_number));
    const chunks: Buffer[] = [];
    for (const part of ordered) {
      const stored = upload.parts.get(Number(part.part_number));
      const etag = String(part.e_tag ?? '').replace(/"/g, '');
      if (!stored || stored.etag !== etag) throw validationError(`Part ${String(part.part_number)} is missing or its ETag does not match.`);
      chunks.push(stored.bytes);
    }
    const bytes = Buffer.concat(chunks);
    if (bytes.length !== upload.size) throw validationError(`The parts hold ${bytes.length} bytes; the upload was issued for ${upload.size}.`);
    await this.blobs.put(upload.componentId, bytes);
    this.multiparts.delete(uploadId);
    return upload.componentId;
  }
}
