/**
 * Uploads as both APIs do them. Bytes go to a storage URL on the emulator
 * (`PUT /_storage/<token>`, no auth, answers an md5 ETag; multipart uploads
 * get one URL per part), then a link step makes an Attachment and points the
 * field at it: `image` holds the thumbnail, url fields (`sg_uploaded_movie`,
 * `this_file`) an upload link, and no field just attaches the file.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mimeOf } from '../ftrack/api/uploads.ts';
import { badRequest, SgError } from './errors.ts';
import type { Site } from './site.ts';
import type { Actor, Link, Row } from './store/index.ts';

interface Pending {
  filename: string;
  expires: number;
  multipart: boolean;
  parts: Map<number, { bytes: Buffer; etag: string }>;
}

const TTL_MS = 15 * 60_000;
const THUMBNAIL_FIELDS = new Set(['image', 'thumb_image', 'filmstrip_image', 'filmstrip_thumb_image']);

export const isThumbnailField = (field: string | null | undefined): boolean => !!field && THUMBNAIL_FIELDS.has(field);

export class Uploads {
  private readonly site: Site;
  private readonly pending = new Map<string, Pending>();

  constructor(site: Site) {
    this.site = site;
  }

  /** Starts an upload; returns its id (also the storage token of a single upload). */
  begin(filename: string, multipart: boolean): string {
    if (!filename) throw badRequest('filename is missing', { filename: ['filename is missing'] });
    const id = randomBytes(16).toString('hex');
    this.pending.set(id, { filename, expires: Date.now() + TTL_MS, multipart, parts: new Map() });
    return id;
  }

  /** The storage URL for the whole file (part 0) or one part of a multipart upload. */
  storageUrl(uploadId: string, part = 0): string {
    return `${this.site.baseUrl()}/_storage/${uploadId}${part ? `/${part}` : ''}`;
  }

  private live(uploadId: string): Pending {
    const pending = this.pending.get(uploadId);
    if (!pending || pending.expires < Date.now()) throw new SgError(403, 104, 'Request has expired', { detail: `No upload ${uploadId} is open.` });
    return pending;
  }

  /** Stores bytes PUT to a storage URL; returns the ETag (quoted md5). */
  put(uploadId: string, part: number, bytes: Buffer): string {
    const pending = this.live(uploadId);
    const etag = `"${createHash('md5').update(bytes).digest('hex')}"`;
    pending.parts.set(part, { bytes, etag });
    return etag;
  }

  /** The whole file; for a multipart upload the ETags must match the parts in order. */
  finish(uploadId: string, etags?: string[]): { filename: string; bytes: Buffer } {
    const pending = this.live(uploadId);
    if (!pending.multipart) {
      this.pending.delete(uploadId);
      return { filename: pending.filename, bytes: pending.parts.get(0)?.bytes ?? Buffer.alloc(0) };
    }
    const numbers = [...pending.parts.keys()].sort((a, b) => a - b);
    if (!etags) throw badRequest('etags are missing for a multipart upload', { etags: ['etags is missing'] });
    const expected = numbers.map((n) => pending.parts.get(n)!.etag.replaceAll('"', ''));
    if (etags.length !== expected.length || etags.some((e, i) => e.replaceAll('"', '') !== expected[i])) {
      throw badRequest('The etags do not match the uploaded parts.', { etags: { expected: expected.length, got: etags.length } });
    }
    this.pending.delete(uploadId);
    return { filename: pending.filename, bytes: Buffer.concat(numbers.map((n) => pending.parts.get(n)!.bytes)) };
  }

  abort(uploadId: string): void {
    this.pending.delete(uploadId);
  }

  /** Makes the Attachment for uploaded bytes and links it to `field` of `target` (or just to the record). */
  async attach(actor: Actor, target: Row, field: string | null, file: { filename: string; bytes: Buffer }, options: { displayName?: string; tags?: unknown[] } = {}): Promise<number> {
    const { records, table } = this.site;
    const entity = records.entity(target.type);
    if (field && !isThumbnailField(field)) {
      const schema = entity.fields.get(field);
      if (!schema) throw badRequest(`API upload() ${target.type}.${field} doesn't exist.`, { field_name: field });
      if (schema.dataType !== 'url') throw badRequest(`API upload() ${target.type}.${field} is a ${schema.dataType} field; files go to url fields or image.`, { field_name: field });
    }
    const contentType = mimeOf(file.filename);
    const name = options.displayName || file.filename;
    const project = target.type === 'Project' ? { type: 'Project', id: target.id } : (target.fields['project'] as Link | null | undefined) ?? null;
    const linkable = records.schema.field('Attachment', 'attachment_links')?.validTypes?.includes(target.type);
    const attachment = table.transaction(() => {
      const row = records.create('Attachment', { display_name: name, ...(project ? { project } : {}), ...(linkable ? { attachment_links: [{ type: target.type, id: target.id }] } : {}) }, actor);
      table.set(row, 'filename', file.filename);
      table.set(row, 'file_size', file.bytes.length);
      table.set(row, 'file_extension', file.filename.includes('.') ? file.filename.split('.').pop()!.toLowerCase() : null);
      table.set(row, 'this_file', { link_type: 'upload', type: 'Attachment', id: row.id, name, content_type: contentType });
      return row;
    });
    await this.site.blobs.put(`attachment-${attachment.id}`, file.bytes);
    table.transaction(() => {
      const thumbnail = isThumbnailField(field);
      if (thumbnail && entity.fields.has(field === 'filmstrip_image' || field === 'filmstrip_thumb_image' ? 'filmstrip_image' : 'image')) {
        records.setSystem(target, field!.startsWith('filmstrip') ? 'filmstrip_image' : 'image', attachment.id, actor);
      } else if (field && !thumbnail) {
        records.setSystem(target, field, { link_type: 'upload', type: 'Attachment', id: attachment.id, name, content_type: contentType }, actor);
      } else if (!field && entity.fields.get('attachments')?.dataType === 'multi_entity') {
        records.update(target.type, target.id, { attachments: { multi_entity_update_mode: 'add', value: [{ type: 'Attachment', id: attachment.id }] } }, actor);
      }
    });
    return attachment.id;
  }

  /** The bytes and file name of an Attachment. */
  async read(id: number): Promise<{ bytes: Buffer; filename: string; contentType: string } | undefined> {
    const row = this.site.table.get('Attachment', id);
    const bytes = row && !row.retired ? await this.site.blobs.get(`attachment-${id}`) : undefined;
    if (!row || !bytes) return undefined;
    const filename = String(row.fields['filename'] ?? `attachment-${id}`);
    return { bytes, filename, contentType: mimeOf(filename) };
  }

  /** The URL the bytes of Attachment `id` are served at. */
  fileUrl(id: number): string {
    return `${this.site.baseUrl()}/file_serve/attachment/${id}`;
  }
}
