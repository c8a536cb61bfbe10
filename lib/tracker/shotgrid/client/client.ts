/**
 * The typed ShotGrid REST client: `createShotgridClient({ siteUrl, credentials })`.
 * Entity CRUD, revive and batch, `_search` with either filter form and a find
 * iterator that pages until a short page, `_summarize`, schema and status
 * reads (cached), uploads, and `as(login)` for calls acting as a HumanUser.
 */
import { authError, createTokenManager } from './auth.ts';
import type { ShotgridCredentials, TokenManager, TokenResponse } from './auth.ts';
import { searchFilters } from './filters.ts';
import type { Filter, FilterGroup } from './filters.ts';
import { createHttp } from './http.ts';
import type { Http, HttpOptions } from './http.ts';
import { flatten, toWire } from './records.ts';
import type { FlatRecord, WireRecord } from './records.ts';
import { createSchemaCache } from './schema.ts';
import type { SchemaCache } from './schema.ts';
import { upload } from './upload.ts';
import type { UploadOptions, UploadResult } from './upload.ts';

export interface ShotgridClientOptions extends HttpOptions {
  credentials: ShotgridCredentials;
  /** Act as this HumanUser login (the script needs the permission to). */
  sudoAsLogin?: string | undefined;
  /** Renew tokens this long before they expire. Default 90 s. */
  tokenEarlyMs?: number | undefined;
}

export interface FindOptions {
  fields?: string[] | undefined;
  /** `['-id', 'code']`: a leading `-` sorts descending. Default `id` so paging never skips a row. */
  sort?: string[] | undefined;
  /** Rows per page, 1–5000. Default 500. */
  pageSize?: number | undefined;
  /** Stop after this many rows. */
  limit?: number | undefined;
  /** `retired` reads only retired rows. */
  returnOnly?: 'active' | 'retired' | undefined;
}

export type BatchRequest =
  | { request_type: 'create'; entity: string; data: Record<string, unknown> }
  | { request_type: 'update'; entity: string; record_id: number; data: Record<string, unknown> }
  | { request_type: 'delete'; entity: string; record_id: number };

export interface SummaryField {
  field: string;
  type: string;
}

export interface ShotgridClient {
  find(type: string, filters: Filter[] | FilterGroup, options?: FindOptions): AsyncIterable<FlatRecord>;
  findAll(type: string, filters: Filter[] | FilterGroup, options?: FindOptions): Promise<FlatRecord[]>;
  findOne(type: string, filters: Filter[] | FilterGroup, fields?: string[]): Promise<FlatRecord | undefined>;
  read(type: string, id: number, fields?: string[]): Promise<FlatRecord | undefined>;
  /** Creates once: a failure other than a refused connection or 429 is not repeated. */
  create(type: string, data: Record<string, unknown>): Promise<FlatRecord>;
  update(type: string, id: number, data: Record<string, unknown>): Promise<FlatRecord>;
  /** Retires the record; false when it was already gone. */
  delete(type: string, id: number): Promise<boolean>;
  /** Brings a retired record back; false when it was not retired. */
  revive(type: string, id: number): Promise<boolean>;
  /** All or nothing: one failing request rolls the batch back. Creates and updates answer their record. */
  batch(requests: BatchRequest[]): Promise<(FlatRecord | { type: string; id: number; deleted: boolean })[]>;
  summarize(type: string, filters: Filter[] | FilterGroup, fields: SummaryField[]): Promise<Record<string, unknown>>;
  upload(type: string, id: number, field: string | undefined, file: string, options?: UploadOptions): Promise<UploadResult>;
  readonly schema: SchemaCache;
  /** The same client acting as `login`: same connection pool and schema cache, its own tokens. */
  as(login: string): ShotgridClient;
  /** Server info (`GET /`), no token needed. */
  info(): Promise<Record<string, unknown>>;
  readonly http: Http;
}

const data = <T>(body: unknown): T => (body as { data: T }).data;

function build(http: Http, tokens: TokenManager, schema: SchemaCache, sudo: (login: string) => ShotgridClient): ShotgridClient {
  const call = <T>(req: Parameters<Http['request']>[0]): Promise<T> => http.request<T>(req, tokens);
  const path = (type: string, ...rest: (string | number)[]): string => ['/entity', encodeURIComponent(type), ...rest.map((r) => encodeURIComponent(String(r)))].join('/');

  async function* find(type: string, filters: Filter[] | FilterGroup, options: FindOptions = {}): AsyncIterable<FlatRecord> {
    const size = options.pageSize ?? 500;
    const search = searchFilters(filters);
    let yielded = 0;
    for (let page = 1; ; page++) {
      const query = {
        fields: options.fields?.length ? options.fields.join(',') : 'id',
        sort: (options.sort ?? ['id']).join(','),
        'page[size]': size,
        'page[number]': page,
        'options[return_only]': options.returnOnly,
      };
      const body = await call<unknown>({ method: 'POST', path: path(type, '_search'), query, body: { filters: search.filters }, contentType: search.contentType, safe: true });
      const rows = data<WireRecord[]>(body) ?? [];
      for (const row of rows) {
        if (options.limit !== undefined && yielded >= options.limit) return;
        yielded++;
        yield flatten(row);
      }
      if (rows.length < size || (options.limit !== undefined && yielded >= options.limit)) return;
    }
  }

  const client: ShotgridClient = {
    find,
    async findAll(type, filters, options) {
      const rows: FlatRecord[] = [];
      for await (const row of find(type, filters, options)) rows.push(row);
      return rows;
    },
    async findOne(type, filters, fields) {
      for await (const row of find(type, filters, { fields, pageSize: 1, limit: 1 })) return row;
      return undefined;
    },
    async read(type, id, fields) {
      try {
        const body = await call<unknown>({ method: 'GET', path: path(type, id), query: { fields: fields?.join(',') }, safe: true });
        return flatten(data<WireRecord>(body));
      } catch (err) {
        if ((err as { code?: string }).code === 'SHOTGRID_NOT_FOUND') return undefined;
        throw err;
      }
    },
    async create(type, record) {
      return flatten(data<WireRecord>(await call<unknown>({ method: 'POST', path: path(type), body: toWire(record), safe: false })));
    },
    async update(type, id, record) {
      return flatten(data<WireRecord>(await call<unknown>({ method: 'PUT', path: path(type, id), body: toWire(record), safe: true })));
    },
    async delete(type, id) {
      try {
        await call({ method: 'DELETE', path: path(type, id), safe: true });
        return true;
      } catch (err) {
        if ((err as { code?: string }).code === 'SHOTGRID_NOT_FOUND') return false;
        throw err;
      }
    },
    async revive(type, id) {
      const body = await call<{ meta?: { did_revive?: boolean } }>({ method: 'POST', path: path(type, id), query: { revive: true }, safe: true });
      return body?.meta?.did_revive === true;
    },
    async batch(requests) {
      if (!requests.length) return [];
      const wire = requests.map((r) => ('data' in r ? { ...r, data: toWire(r.data) } : r));
      const safe = requests.every((r) => r.request_type !== 'create');
      const answers = data<({ data?: WireRecord } & Record<string, unknown>)[]>(await call<unknown>({ method: 'POST', path: '/entity/_batch', body: { requests: wire }, safe }));
      return answers.map((answer, i) => {
        if (answer.data) return flatten(answer.data);
        const req = requests[i]!;
        return { type: String(answer['type'] ?? req.entity), id: Number(answer['id'] ?? ('record_id' in req ? req.record_id : 0)), deleted: answer['did_delete'] === true };
      });
    },
    async summarize(type, filters, fields) {
      const search = searchFilters(filters);
      const body = await call<unknown>({ method: 'POST', path: path(type, '_summarize'), body: { filters: search.filters, summary_fields: fields }, contentType: search.contentType, safe: true });
      return (data<{ summaries?: Record<string, unknown> }>(body)?.summaries ?? {});
    },
    upload: (type, id, field, file, options) => upload(http, tokens, { type, id, field, file, ...options }),
    schema,
    as: sudo,
    async info() {
      return data<Record<string, unknown>>(await http.request<unknown>({ method: 'GET', path: '', safe: true, anonymous: true }));
    },
    http,
  };
  return client;
}

export function createShotgridClient(options: ShotgridClientOptions): ShotgridClient {
  const http = createHttp(options);
  const tokenRequest = (form: Record<string, string>): Promise<TokenResponse> =>
    http
      .request<TokenResponse>({ method: 'POST', path: '/auth/access_token', body: form, contentType: 'application/x-www-form-urlencoded', safe: true, anonymous: true })
      .catch((err: unknown) => {
        throw authError(err, form);
      });
  const managers = new Map<string, TokenManager>();
  const tokensFor = (login: string | undefined): TokenManager => {
    const key = login ?? '';
    let manager = managers.get(key);
    if (!manager) managers.set(key, (manager = createTokenManager({ credentials: options.credentials, request: tokenRequest, sudoAsLogin: login, earlyMs: options.tokenEarlyMs })));
    return manager;
  };
  const base = tokensFor(options.sudoAsLogin);
  const schema = createSchemaCache(http, base);
  const clients = new Map<string, ShotgridClient>();
  const sudo = (login: string): ShotgridClient => {
    let c = clients.get(login);
    if (!c) clients.set(login, (c = build(http, tokensFor(login), schema, sudo)));
    return c;
  };
  return build(http, base, schema, sudo);
}
