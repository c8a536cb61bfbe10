/** The server's own SQLite files: WAL, a busy timeout and their schema, or SERVER_STORE_FAILED naming the file. */
import Database from 'better-sqlite3';
import { HandoffError } from '../core/errors.ts';

export function openServerDatabase(file: string, schema: string, what: string): Database.Database {
  try {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 5000');
    db.exec(schema);
    return db;
  } catch (cause) {
    throw new HandoffError('SERVER_STORE_FAILED', `Cannot open the ${what} database ${file}`, {
      cause,
      details: { file },
      hint: 'Check that the data directory exists, is writable and is not on a network share that lacks file locks.',
    });
  }
}
