/**
 * What the server itself remembers, in `server.db` beside the transfer core's
 * database: the event log people read on the dashboard, every hook result and
 * every publish with its pre-publish verdicts. The transfer core keeps its own
 * state; this file never touches it.
 */
import { openServerDatabase } from './sqlite.ts';

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogEntry {
  id: number;
  at: string;
  type: string;
  level: LogLevel;
  message: string;
  jobId?: string | undefined;
  vendor?: string | undefined;
  data?: Record<string, unknown> | undefined;
}

export interface HookRecord {
  id: number;
  at: string;
  jobId: string;
  hook: string;
  on: string;
  ok: boolean;
  durationMs: number;
  error?: { code: string; message: string } | undefined;
  log: string;
}

export interface PublishRecord {
  id: number;
  at: string;
  jobId: string;
  vendor?: string | undefined;
  folder: string;
  /** The pre-publish verdict the folder had when it was uploaded. */
  verdict?: string | undefined;
  ok: boolean;
  version?: number | undefined;
  versionId?: string | undefined;
  destination?: string | undefined;
  errors: string[];
}

export type NewLogEntry = Omit<LogEntry, 'id' | 'at'>;
export type NewHookRecord = Omit<HookRecord, 'id' | 'at'>;
export type NewPublishRecord = Omit<PublishRecord, 'id' | 'at'>;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS log (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, type TEXT NOT NULL, level TEXT NOT NULL,
    message TEXT NOT NULL, job_id TEXT, vendor TEXT, data TEXT);
  CREATE TABLE IF NOT EXISTS hook_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, job_id TEXT NOT NULL, hook TEXT NOT NULL,
    moment TEXT NOT NULL, ok INTEGER NOT NULL, duration_ms INTEGER NOT NULL, error TEXT, log TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS hook_runs_by_job ON hook_runs (job_id, id);
  CREATE TABLE IF NOT EXISTS publishes (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, job_id TEXT NOT NULL, vendor TEXT, folder TEXT NOT NULL,
    verdict TEXT, ok INTEGER NOT NULL, version INTEGER, version_id TEXT, destination TEXT, errors TEXT NOT NULL);
`;

type Row = Record<string, unknown>;
const iso = (ms: unknown): string => new Date(Number(ms)).toISOString();
const opt = <T>(value: unknown): T | undefined => (value === null || value === undefined ? undefined : (value as T));

export interface ServerStore {
  log(entry: NewLogEntry): LogEntry;
  /** Newest first; `before` pages back by id. */
  listLog(options?: { limit?: number; before?: number; jobId?: string }): LogEntry[];
  recordHook(record: NewHookRecord): HookRecord;
  listHooks(jobId?: string, limit?: number): HookRecord[];
  recordPublish(record: NewPublishRecord): PublishRecord;
  /** Newest first; only one job's when `jobId` is given. */
  listPublishes(limit?: number, jobId?: string): PublishRecord[];
  /** Whether the database answers a query. */
  ping(): boolean;
  close(): void;
}

export function openServerStore(file: string, now: () => number = Date.now): ServerStore {
  const db = openServerDatabase(file, SCHEMA, 'server');
  const toLog = (r: Row): LogEntry => ({
    id: Number(r.id), at: iso(r.at), type: String(r.type), level: r.level as LogLevel, message: String(r.message),
    jobId: opt(r.job_id), vendor: opt(r.vendor), data: r.data ? (JSON.parse(String(r.data)) as Record<string, unknown>) : undefined,
  });
  const toHook = (r: Row): HookRecord => ({
    id: Number(r.id), at: iso(r.at), jobId: String(r.job_id), hook: String(r.hook), on: String(r.moment), ok: r.ok === 1,
    durationMs: Number(r.duration_ms), error: r.error ? (JSON.parse(String(r.error)) as HookRecord['error']) : undefined, log: String(r.log),
  });
  const toPublish = (r: Row): PublishRecord => ({
    id: Number(r.id), at: iso(r.at), jobId: String(r.job_id), vendor: opt(r.vendor), folder: String(r.folder), verdict: opt(r.verdict),
    ok: r.ok === 1, version: opt(r.version), versionId: opt(r.version_id), destination: opt(r.destination), errors: JSON.parse(String(r.errors)) as string[],
  });
  const insertLog = db.prepare('INSERT INTO log (at, type, level, message, job_id, vendor, data) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertHook = db.prepare('INSERT INTO hook_runs (at, job_id, hook, moment, ok, duration_ms, error, log) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertPublish = db.prepare(
    'INSERT INTO publishes (at, job_id, vendor, folder, verdict, ok, version, version_id, destination, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const limitOf = (limit: number | undefined): number => Math.min(Math.max(1, Math.trunc(limit ?? 100)), 1000);

  return {
    log(entry) {
      const at = now();
      const data = entry.data ? JSON.stringify(entry.data) : null;
      const { lastInsertRowid } = insertLog.run(at, entry.type, entry.level, entry.message, entry.jobId ?? null, entry.vendor ?? null, data);
      return { ...entry, id: Number(lastInsertRowid), at: iso(at) };
    },
    listLog(options = {}) {
      const rows = db
        .prepare(`SELECT * FROM log WHERE id < ? ${options.jobId ? 'AND job_id = ?' : ''} ORDER BY id DESC LIMIT ?`)
        .all(...[options.before ?? Number.MAX_SAFE_INTEGER, ...(options.jobId ? [options.jobId] : []), limitOf(options.limit)]) as Row[];
      return rows.map(toLog);
    },
    recordHook(record) {
      const at = now();
      const error = record.error ? JSON.stringify(record.error) : null;
      const { lastInsertRowid } = insertHook.run(at, record.jobId, record.hook, record.on, record.ok ? 1 : 0, record.durationMs, error, record.log);
      return { ...record, id: Number(lastInsertRowid), at: iso(at) };
    },
    listHooks(jobId, limit) {
      const sql = `SELECT * FROM hook_runs ${jobId ? 'WHERE job_id = ?' : ''} ORDER BY id DESC LIMIT ?`;
      return (db.prepare(sql).all(...[...(jobId ? [jobId] : []), limitOf(limit)]) as Row[]).map(toHook);
    },
    recordPublish(record) {
      const at = now();
      const { lastInsertRowid } = insertPublish.run(
        at, record.jobId, record.vendor ?? null, record.folder, record.verdict ?? null, record.ok ? 1 : 0,
        record.version ?? null, record.versionId ?? null, record.destination ?? null, JSON.stringify(record.errors),
      );
      return { ...record, id: Number(lastInsertRowid), at: iso(at) };
    },
    listPublishes(limit, jobId) {
      const sql = `SELECT * FROM publishes ${jobId ? 'WHERE job_id = ?' : ''} ORDER BY id DESC LIMIT ?`;
      return (db.prepare(sql).all(...[...(jobId ? [jobId] : []), limitOf(limit)]) as Row[]).map(toPublish);
    },
    ping() {
      try {
        return db.open && db.prepare('SELECT 1 AS ok').get() !== undefined;
      } catch {
        return false;
      }
    },
    close() {
      if (db.open) db.close();
    },
  };
}
