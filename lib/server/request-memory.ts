/**
 * What HQ remembers about requests themselves, in `requests.db` in the data
 * folder so a restart forgets nothing: the nonces of signed agent requests
 * (for as long as their signature is accepted, so a replay is refused) and the
 * answers given to requests carrying an Idempotency-Key (a day), so a repeated
 * publish gets the first answer instead of starting a second upload.
 */
import { openServerDatabase } from './sqlite.ts';
import { NONCE_MEMORY_MS, type NonceMemory } from './agent-signature.ts';

/** How long the answer to an idempotent request is kept. */
export const IDEMPOTENCY_MEMORY_MS = 24 * 3600_000;
/** A request still marked under way after this long died with its process; its key is free again. */
const ABANDONED_MS = 10 * 60_000;

export type IdempotentStart =
  | { kind: 'new' }
  | { kind: 'done'; status: number; body: unknown }
  | { kind: 'pending' }
  | { kind: 'conflict'; route: string };

export interface IdempotencyMemory {
  /** Marks the key as under way, or says what became of it. `fingerprint` sums up the request (route and body). */
  start(caller: string, key: string, route: string, fingerprint: string): IdempotentStart;
  finish(caller: string, key: string, status: number, body: unknown): void;
  /** The request failed: the key may be used again. */
  forget(caller: string, key: string): void;
}

export interface RequestMemory {
  nonces: NonceMemory;
  idempotency: IdempotencyMemory;
  close(): void;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS nonces (vendor TEXT NOT NULL, nonce TEXT NOT NULL, expires INTEGER NOT NULL, PRIMARY KEY (vendor, nonce));
  CREATE INDEX IF NOT EXISTS nonces_by_expiry ON nonces (expires);
  CREATE TABLE IF NOT EXISTS idempotency (
    caller TEXT NOT NULL, key TEXT NOT NULL, route TEXT NOT NULL, fingerprint TEXT NOT NULL, started INTEGER NOT NULL,
    status INTEGER, body TEXT, PRIMARY KEY (caller, key));
`;

export function openRequestMemory(file: string, now: () => number = Date.now): RequestMemory {
  const db = openServerDatabase(file, SCHEMA, 'request');
  const seen = db.prepare('SELECT 1 FROM nonces WHERE vendor = ? AND nonce = ? AND expires > ?');
  const claim = db.prepare('INSERT OR IGNORE INTO nonces (vendor, nonce, expires) VALUES (?, ?, ?)');
  const prune = db.prepare('DELETE FROM nonces WHERE expires <= ?');
  const pruneAnswers = db.prepare('DELETE FROM idempotency WHERE started <= ?');
  const find = db.prepare('SELECT * FROM idempotency WHERE caller = ? AND key = ?');
  const insert = db.prepare('INSERT OR REPLACE INTO idempotency (caller, key, route, fingerprint, started) VALUES (?, ?, ?, ?, ?)');
  const answer = db.prepare('UPDATE idempotency SET status = ?, body = ? WHERE caller = ? AND key = ?');
  const remove = db.prepare('DELETE FROM idempotency WHERE caller = ? AND key = ?');
  let pruned = 0;
  const pruneNow = (at: number): void => {
    if (at - pruned < 10_000) return;
    pruned = at;
    prune.run(at);
    pruneAnswers.run(at - IDEMPOTENCY_MEMORY_MS);
  };

  const start = db.transaction((caller: string, key: string, route: string, fingerprint: string): IdempotentStart => {
    const at = now();
    pruneNow(at);
    const row = find.get(caller, key) as { route: string; fingerprint: string; started: number; status: number | null; body: string | null } | undefined;
    if (row && row.started > at - IDEMPOTENCY_MEMORY_MS) {
      if (row.fingerprint !== fingerprint) return { kind: 'conflict', route: row.route };
      if (row.status !== null) return { kind: 'done', status: row.status, body: JSON.parse(row.body ?? 'null') as unknown };
      if (row.started > at - ABANDONED_MS) return { kind: 'pending' };
    }
    insert.run(caller, key, route, fingerprint, at);
    return { kind: 'new' };
  });

  return {
    nonces: {
      seen: (vendor, nonce) => seen.get(vendor, nonce, now()) !== undefined,
      claim(vendor, nonce, at) {
        pruneNow(now());
        return claim.run(vendor, nonce, at + NONCE_MEMORY_MS).changes === 1;
      },
    },
    idempotency: {
      start: (caller, key, route, fingerprint) => start(caller, key, route, fingerprint),
      finish: (caller, key, status, body) => void answer.run(status, JSON.stringify(body ?? null), caller, key),
      forget: (caller, key) => void remove.run(caller, key),
    },
    close() {
      if (db.open) db.close();
    },
  };
}
