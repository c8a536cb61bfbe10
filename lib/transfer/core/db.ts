/**
 * Opens the core's SQLite database: WAL so readers never block the writer,
 * synchronous=FULL so a committed transaction survives a power cut (not only a
 * process crash), foreign keys on, and the schema migrated to the latest version.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HandoffError } from '../../core/errors.ts';
import { migrations } from './migrations.ts';

export type Db = Database.Database;

export function openDatabase(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file);
  } catch (err) {
    throw new HandoffError('TRANSFER_DB_UNAVAILABLE', `Cannot open the transfer database ${file}`, {
      cause: err,
      details: { file },
      hint: 'Check that the data directory exists, is writable and is not on a network share.',
    });
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db): void {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new HandoffError('TRANSFER_DB_TOO_NEW', `The transfer database has schema ${current}; this handoff knows ${migrations.length}`, {
      details: { current, known: migrations.length },
      hint: 'Upgrade handoff, or point it at a data directory written by this version.',
    });
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version] ?? '');
      db.pragma(`user_version = ${version + 1}`);
    }).immediate();
  }
}
