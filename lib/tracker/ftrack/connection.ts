/**
 * The adapter's only door to the ftrack client: a Session made on first use
 * and made again when its initialisation failed (a failed init poisons a
 * Session for good), batches sent through `session.call`, retries with
 * backoff for idempotent batches only, paging, and every client error turned
 * into a HandoffError.
 */
import { expression, Session } from '@ftrack/api';
import type { operation } from '@ftrack/api';
import loglevel from 'loglevel';
import { isRetryable } from '../../core/errors.ts';
import { fromFtrackError } from './errors.ts';
import type { ResolvedFtrackOptions } from './options.ts';

export type Operation = operation.Operation;
export type Row = Record<string, unknown>;
export interface QueryResult {
  action: 'query';
  data: Row[];
  metadata?: { next?: { offset?: number | null } };
}

/** Quotes every placeholder as a string literal: `q\`Task where name is ${name}\`` → `Task where name is "…"`. */
export function q(literals: TemplateStringsArray, ...values: (string | number)[]): string {
  const parts = literals.map((part, i) => `${i > 0 ? '"' : ''}${part}${i < values.length ? '"' : ''}`);
  const template = Object.assign(parts, { raw: parts }) as unknown as TemplateStringsArray;
  return expression(template, ...values.map((v) => String(v).replaceAll('\\', '\\\\')));
}

/** A quoted, comma-separated list for `in (…)`. */
export function quotedList(values: readonly string[]): string {
  return values.map((v) => q`${v}`).join(', ');
}

/**
 * The client sends every string that looks like an ISO date as a datetime, so a
 * note or comment reading "2024-05-06T07:08:09" would change type on the way.
 * Dates are always Date objects here; strings are text and go out as written.
 */
const ISO_LIKE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/;

class VerbatimText {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  toJSON(): string {
    return this.text;
  }
}

function keepText(operation: Operation): Operation {
  if (!('entity_data' in operation) || !operation.entity_data) return operation;
  const data = Object.entries(operation.entity_data as Record<string, unknown>).map(([key, value]) => [
    key,
    typeof value === 'string' && ISO_LIKE.test(value) ? new VerbatimText(value) : value,
  ]);
  return { ...operation, entity_data: Object.fromEntries(data) } as Operation;
}

/**
 * The client logs every failed request with its stack as a warning; each failure reaches the
 * caller as a HandoffError instead, so only its own errors are left on (all of it with --debug).
 */
function quietClientLogs(): void {
  const level = process.env['HANDOFF_DEBUG'] && process.env['HANDOFF_DEBUG'] !== '0' ? 'debug' : 'error';
  for (const name of ['ftrack_api', 'ftrack_api:EventHub']) loglevel.getLogger(name).setLevel(level);
}

export function createConnection(options: ResolvedFtrackOptions) {
  quietClientLogs();
  let current: Promise<Session> | undefined;

  const session = (): Promise<Session> => {
    if (!current) {
      const made = new Session(options.serverUrl, options.user, options.apiKey, { autoConnectEventHub: false, decodeDatesAsIso: true });
      current = made.initializing.then(
        () => made,
        (err: unknown) => {
          current = undefined;
          throw fromFtrackError(err, options.serverUrl, 'init');
        },
      );
    }
    return current;
  };

  const attempt = async <T>(operations: Operation[], kind: 'query' | 'write'): Promise<T[]> => {
    const s = await session();
    try {
      return (await s.call(operations.map(keepText))) as T[];
    } catch (err) {
      throw fromFtrackError(err, options.serverUrl, kind);
    }
  };

  /** Sends one batch; `idempotent` batches are retried with backoff when the failure is retryable. */
  const call = async <T = Row>(operations: Operation[], { idempotent = false, kind = 'write' as 'query' | 'write' } = {}): Promise<T[]> => {
    for (let tries = 1; ; tries++) {
      try {
        return await attempt<T>(operations, kind);
      } catch (err) {
        if (!idempotent || !isRetryable(err) || tries >= options.retries) throw err;
        const delay = Math.min(5000, options.retryDelayMs * 2 ** (tries - 1));
        await new Promise((resolve) => setTimeout(resolve, delay * (0.75 + Math.random() / 2)));
      }
    }
  };

  /** Runs several queries in one request; each result's rows in order. */
  const queries = async (expressions: string[]): Promise<Row[][]> => {
    const results = await call<QueryResult>(expressions.map((e) => ({ action: 'query', expression: e })), { idempotent: true, kind: 'query' });
    return results.map((r) => r.data);
  };

  return {
    session,
    call,
    queries,
    async query(expressionText: string): Promise<Row[]> {
      return (await queries([expressionText]))[0] ?? [];
    },
    /** Every row, page by page (`expressionText` must carry an `order by` for stable pages). */
    async queryAll(expressionText: string, maxPages = 10_000): Promise<Row[]> {
      const rows: Row[] = [];
      let offset: number | null | undefined = 0;
      for (let page = 0; offset !== null && offset !== undefined && page < maxPages; page++) {
        const results: QueryResult[] = await call<QueryResult>([{ action: 'query', expression: `${expressionText} offset ${offset} limit ${options.pageSize}` }], {
          idempotent: true,
          kind: 'query',
        });
        rows.push(...(results[0]?.data ?? []));
        offset = results[0]?.metadata?.next?.offset;
      }
      return rows;
    },
    /** Queries rows whose `attribute` is in `ids`, in chunks small enough for one expression each. */
    async queryIn(template: (list: string) => string, ids: readonly string[], chunk = 200): Promise<Row[]> {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      const expressions: string[] = [];
      for (let i = 0; i < unique.length; i += chunk) expressions.push(template(quotedList(unique.slice(i, i + chunk))));
      return (await queries(expressions)).flat();
    },
    async close(): Promise<void> {
      const made = await current?.catch(() => undefined);
      made?.eventHub.disconnect();
      current = undefined;
    },
  };
}

export type FtrackConnection = ReturnType<typeof createConnection>;
