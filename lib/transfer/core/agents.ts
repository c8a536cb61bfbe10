/**
 * What HQ remembers about vendor agents, in the core's database: unredeemed
 * enrolment codes (only their hash, each taken at most once, atomically) and
 * the enrolled agents, several per vendor, each a named machine with its
 * certificate fingerprint; a revoked agent stays listed with the time. Same
 * shape as the wire's AgentRegistry, so the HQ listener keeps it durable.
 */
import { randomUUID } from 'node:crypto';
import { nameTaken, type AgentEnrolment, type AgentRecord } from '../wire/registry.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';

export interface AgentStore {
  saveCode(codeHash: string, vendor: string, expiresAtMs: number): Promise<void>;
  /** Removes the code and returns its vendor; undefined when unknown or expired. */
  takeCode(codeHash: string, nowMs: number): Promise<string | undefined>;
  /**
   * Enrols a key. Named: one more agent of the vendor (its name must be free unless it is the
   * one `replace` names). Unnamed: the vendor's only agent, replacing every other.
   */
  pin(vendor: string, fingerprint: string, agent?: AgentEnrolment): Promise<void>;
  isPinned(vendor: string, fingerprint: string): Promise<boolean>;
  /** The agent a certificate belongs to, revoked or not. */
  agentOf(vendor: string, fingerprint: string): Promise<AgentRecord | undefined>;
  /** Revokes the vendor's agent `name`; its fingerprint, or undefined when no such active agent. */
  revoke(vendor: string, name: string): Promise<string | undefined>;
  /** Records that an agent was seen (connected, or a command answered): one, or all the vendor's active ones. */
  seen(vendor: string, fingerprint?: string): void;
  list(): AgentRecord[];
}

type Row = { vendor: string; name: string; fingerprint: string | null; created_at: number; last_seen_at: number | null; revoked_at: number | null };

const toRecord = (row: Row): AgentRecord => ({
  vendor: row.vendor,
  name: row.name,
  fingerprint: row.fingerprint ?? undefined,
  createdAt: new Date(row.created_at),
  lastSeenAt: row.last_seen_at === null ? undefined : new Date(row.last_seen_at),
  revokedAt: row.revoked_at === null ? undefined : new Date(row.revoked_at),
});

export function createAgentStore(db: Db, clock: Clock): AgentStore {
  const take = db.transaction((codeHash: string) => {
    const row = db.prepare('SELECT vendor, expires_at FROM enrolment_codes WHERE code_hash = ?').get(codeHash) as { vendor: string; expires_at: number } | undefined;
    if (row) db.prepare('DELETE FROM enrolment_codes WHERE code_hash = ?').run(codeHash);
    return row;
  });
  const active = (vendor: string): Row[] => db.prepare('SELECT * FROM agents WHERE vendor = ? AND revoked_at IS NULL ORDER BY name').all(vendor) as Row[];
  const revokeRow = (vendor: string, name: string): void => {
    db.prepare('UPDATE agents SET revoked_at = ? WHERE vendor = ? AND name = ? AND revoked_at IS NULL').run(clock.now(), vendor, name);
  };
  const enrol = db.transaction((vendor: string, fingerprint: string, agent: AgentEnrolment | undefined) => {
    const name = agent?.name ?? 'agent';
    const current = active(vendor);
    if (!agent) for (const row of current) revokeRow(vendor, row.name);
    else if (current.some((row) => row.name === name) && agent.replace !== name) throw nameTaken(vendor, name);
    if (agent?.replace !== undefined) revokeRow(vendor, agent.replace);
    revokeRow(vendor, name);
    db.prepare('INSERT INTO agents (id, vendor, name, fingerprint, created_at) VALUES (?, ?, ?, ?, ?)').run(randomUUID(), vendor, name, fingerprint, clock.now());
  });
  return {
    async saveCode(codeHash, vendor, expiresAtMs) {
      db.prepare('INSERT OR REPLACE INTO enrolment_codes (code_hash, vendor, expires_at) VALUES (?, ?, ?)').run(codeHash, vendor, expiresAtMs);
    },
    async takeCode(codeHash, nowMs) {
      const row = take.immediate(codeHash);
      return row && row.expires_at >= nowMs ? row.vendor : undefined;
    },
    async pin(vendor, fingerprint, agent) {
      enrol.immediate(vendor, fingerprint, agent);
    },
    async isPinned(vendor, fingerprint) {
      return active(vendor).some((row) => row.fingerprint === fingerprint);
    },
    async agentOf(vendor, fingerprint) {
      const row = db.prepare('SELECT * FROM agents WHERE vendor = ? AND fingerprint = ? ORDER BY created_at DESC LIMIT 1').get(vendor, fingerprint) as Row | undefined;
      return row ? toRecord(row) : undefined;
    },
    async revoke(vendor, name) {
      const row = active(vendor).find((r) => r.name === name);
      if (!row) return undefined;
      revokeRow(vendor, name);
      return row.fingerprint ?? undefined;
    },
    seen(vendor, fingerprint) {
      if (fingerprint) db.prepare('UPDATE agents SET last_seen_at = ? WHERE vendor = ? AND fingerprint = ? AND revoked_at IS NULL').run(clock.now(), vendor, fingerprint);
      else db.prepare('UPDATE agents SET last_seen_at = ? WHERE vendor = ? AND revoked_at IS NULL').run(clock.now(), vendor);
    },
    list() {
      return (db.prepare('SELECT * FROM agents ORDER BY vendor, name, created_at').all() as Row[]).map(toRecord);
    },
  };
}
