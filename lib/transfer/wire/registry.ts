/**
 * What HQ remembers about agents: unredeemed enrolment codes (only their
 * SHA-256, each usable once before it expires) and the certificate fingerprint
 * pinned for each vendor (re-enrolling replaces it, which revokes the old key).
 * The file-backed registry keeps it in one JSON file with owner-only permissions.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { writeSecret } from './identity.ts';

export interface AgentRegistry {
  saveCode(codeHash: string, vendor: string, expiresAtMs: number): Promise<void>;
  /** Removes the code and returns its vendor; undefined when unknown or expired. */
  takeCode(codeHash: string, nowMs: number): Promise<string | undefined>;
  pin(vendor: string, fingerprint: string): Promise<void>;
  isPinned(vendor: string, fingerprint: string): Promise<boolean>;
}

interface RegistryState {
  codes: Record<string, { vendor: string; expiresAtMs: number }>;
  pins: Record<string, string>;
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
    pin: (vendor, fingerprint) =>
      locked(async (current) => {
        current.pins[vendor] = fingerprint;
        await save(current);
      }),
    isPinned: (vendor, fingerprint) => locked(async (current) => current.pins[vendor] === fingerprint),
  };
}
