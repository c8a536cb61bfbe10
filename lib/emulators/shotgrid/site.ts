/**
 * One emulated site: the schema, the records and their event log, who may
 * call, uploaded bytes, and the base URL links are built from. Both APIs and
 * the upload routes work on the same site.
 */
import { BlobStore } from '../ftrack/api/blobs.ts';
import { Auth, type AuthOptions } from './auth.ts';
import { Schema } from './schema/index.ts';
import { Records, Table, type Actor, type Link } from './store/index.ts';
import { Uploads } from './uploads.ts';

export interface Site {
  schema: Schema;
  table: Table;
  records: Records;
  auth: Auth;
  blobs: BlobStore;
  uploads: Uploads;
  /** `http://127.0.0.1:<port>`, known once the server listens. */
  baseUrl(): string;
}

export function createSite(options: AuthOptions & { blobsDir?: string; baseUrl: () => string; table?: Table; schema?: Schema }): Site {
  const schema = options.schema ?? new Schema();
  const table = options.table ?? new Table();
  const records = new Records(table, schema);
  const auth = new Auth(records, options);
  const blobs = new BlobStore(options.blobsDir);
  const site: Site = { schema, table, records, auth, blobs, uploads: undefined as unknown as Uploads, baseUrl: options.baseUrl };
  site.uploads = new Uploads(site);
  return site;
}

/** Creates the script's ApiUser when the site has none by that name. */
export function ensureScriptUser(site: Site, name: string): Link {
  const found = site.table.scan('ApiUser').find((u) => u.fields['firstname'] === name);
  if (found) return { type: 'ApiUser', id: found.id };
  const self: Actor = { user: { type: 'ApiUser', id: 0 }, sessionUuid: null };
  const events = site.records.events;
  const was = events.enabled;
  events.enabled = false;
  const row = site.records.create('ApiUser', { firstname: name, description: 'Script of the handoff ShotGrid emulator' }, self);
  events.enabled = was;
  site.table.set(row, 'created_by', { type: 'ApiUser', id: row.id });
  site.table.set(row, 'updated_by', { type: 'ApiUser', id: row.id });
  return { type: 'ApiUser', id: row.id };
}
