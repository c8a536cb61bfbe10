/**
 * What HQ remembers about agents: unredeemed enrolment codes (only their
 * SHA-256, each usable once before it expires) and the certificate fingerprints
 * of each vendor's agents. A named enrolment adds an agent (machine) beside the
 * others; an unnamed one is the vendor's only agent and revokes the rest.
 * The file-backed registry keeps it in one JSON file with owner-only permissions.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../../core/errors.ts';
import { writeSecret } from './identity.ts';

/** A named agent to enrol; `replace` names an agent of the same vendor it takes the place of. */
export interface AgentEnrolment {
  name: string;
  replace?: string | undefined;
}

export interface AgentRecord {
  vendor: string;
  name: string;
  fingerprint: string | undefined;
  createdAt: Date;
  lastSeenAt: Date | undefined;
  revokedAt: Date | undefined;
}

export interface AgentRegistry {
  saveCode(codeHash: string, vendor: string, expiresAtMs: number): Promise<void>;
  /** Removes the code and returns its vendor; undefined when unknown or expired. */
  takeCode(codeHash: string, nowMs: number): Promise<string | undefined>;
  /** Throws WIRE_AGENT_NAME_TAKEN when a named agent's name is in use (and not the one it replaces). */
  pin(vendor: string, fingerprint: string, agent?: AgentEnrolment): Promise<void>;
  isPinned(vendor: string, fingerprint: string): Promise<boolean>;
  /** The agent a certificate belongs to, revoked or not (lets HQ tell a revoked agent so). */
  agentOf?(vendor: string, fingerprint: string): Promise<AgentRecord | undefined>;
}

/** The refusal of a named enrolment whose name another active agent of the vendor has. */
export function nameTaken(vendor: string, name: string): HandoffError {
  return new HandoffError('WIRE_AGENT_NAME_TAKEN', `An agent named ${name} is already enrolled for ${vendor}`, {
    details: { vendor, name },
    hint: `Enrol with another --name, or with --replace ${name} to revoke that agent and take its place (ask HQ for a new code).`,
  });
}

interface RegistryState {
  codes: Record<string, { vendor: string; expiresAtMs: number }>;
  pins: Record<string, string>;
  /** Named agents: vendor → name → fingerprint. */
  agents?: Record<string, Record<string, string>>;
}

export function hashCode(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function createFileRegistry(file: string): AgentRegistry {
  let state: RegistryState | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const load = async (): Promise<RegistryState> => {
    if (state) return state;
    try {
      state = JSON.parse(await readFile(file, 'utf8')) as RegistryState;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      state = { codes: {}, pins: {} };
    }
    return state;
  };
  const save = async (current: RegistryState): Promise<void> => {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.tmp`;
    await writeSecret(temporary, JSON.stringify(current, null, 2));
    await rename(temporary, file);
  };
  /** Serialises every read-modify-write so a code can never be taken twice. */
  const locked = <T>(work: (current: RegistryState) => Promise<T>): Promise<T> => {
    const next = queue.then(async () => work(await load()));
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    saveCode: (codeHash, vendor, expiresAtMs) =>
      locked(async (current) => {
        current.codes[codeHash] = { vendor, expiresAtMs };
        await save(current);
      }),
    takeCode: (codeHash, nowMs) =>
      locked(async (current) => {
        const entry = current.codes[codeHash];
        if (!entry) return undefined;
        delete current.codes[codeHash];
        await save(current);
        return entry.expiresAtMs >= nowMs ? entry.vendor : undefined;
      }),
    pin: (vendor, fingerprint, agent) =>
      locked(async (current) => {
        const named = ((current.agents ??= {})[vendor] ??= {});
        if (!agent) {
          current.pins[vendor] = fingerprint;
          current.agents[vendor] = {};
        } else {
          if (named[agent.name] !== undefined && agent.replace !== agent.name) throw nameTaken(vendor, agent.name);
          if (agent.replace !== undefined) delete named[agent.replace];
          named[agent.name] = fingerprint;
        }
        await save(current);
      }),
    isPinned: (vendor, fingerprint) =>
      locked(async (current) => current.pins[vendor] === fingerprint || Object.values(current.agents?.[vendor] ?? {}).includes(fingerprint)),
  };
}
