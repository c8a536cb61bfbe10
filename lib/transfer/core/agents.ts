/**
 * What HQ remembers about vendor agents, in the core's database: unredeemed
 * enrolment codes (only their hash, each taken at most once, atomically) and
 * the certificate fingerprint pinned per vendor. Same shape as the wire's
 * AgentRegistry, so the HQ listener can keep this state durable with the rest.
 */
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';

export interface AgentStore {
  saveCode(codeHash: string, vendor: string, expiresAtMs: number): Promise<void>;
  /** Removes the code and returns its vendor; undefined when unknown or expired. */
  takeCode(codeHash: string, nowMs: number): Promise<string | undefined>;
  pin(vendor: string, fingerprint: string): Promise<void>;
  isPinned(vendor: string, fingerprint: string): Promise<boolean>;
  /** Records that the vendor's agent was seen (connected, or a command answered). */
  seen(vendor: string): void;
  list(): { vendor: string; fingerprint: string | undefined; createdAt: Date; lastSeenAt: Date | undefined }[];
}

export function createAgentStore(db: Db, clock: Clock): AgentStore {
  const take = db.transaction((codeHash: string) => {
    const row = db.prepare('SELECT vendor, expires_at FROM enrolment_codes WHERE code_hash = ?').get(codeHash) as { vendor: string; expires_at: number } | undefined;
    if (row) db.prepare('DELETE FROM enrolment_codes WHERE code_hash = ?').run(codeHash);
    return row;
  });
  return {
    async saveCode(codeHash, vendor, expiresAtMs) {
      db.prepare('INSERT OR REPLACE INTO enrolment_codes (code_hash, vendor, expires_at) VALUES (?, ?, ?)').run(codeHash, vendor, expiresAtMs);
    },
    async takeCode(codeHash, nowMs) {
      const row = take.immediate(codeHash);
      return row && row.expires_at >= nowMs ? row.vendor : undefined;
    },
    async pin(vendor, fingerprint) {
      db.prepare(
        `INSERT INTO agents (id, vendor, fingerprint, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, created_at = excluded.created_at`,
      ).run(vendor, vendor, fingerprint, clock.now());
    },
    async isPinned(vendor, fingerprint) {
      const row = db.prepare('SELECT fingerprint FROM agents WHERE id = ?').get(vendor) as { fingerprint: string | null } | undefined;
      return row?.fingerprint === fingerprint;
    },
    seen(vendor) {
      db.prepare('UPDATE agents SET last_seen_at = ? WHERE id = ?').run(clock.now(), vendor);
    },
    list() {
      const rows = db.prepare('SELECT * FROM agents ORDER BY vendor').all() as { vendor: string; fingerprint: string | null; created_at: number; last_seen_at: number | null }[];
      return rows.map((row) => ({
        vendor: row.vendor,
        fingerprint: row.fingerprint ?? undefined,
        createdAt: new Date(row.created_at),
        lastSeenAt: row.last_seen_at === null ? undefined : new Date(row.last_seen_at),
      }));
    },
  };
}
