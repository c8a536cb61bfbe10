/**
 * The agent's side of delta delivery and of a full disk: it answers HQ's `held`
 * question from its record of verified files (hashing a file it has no record
 * of only when its size says it may be the same), sets the vendor's own
 * versions aside when asked, records each file it puts in place, and names a
 * full disk with the space it needs instead of failing the connection.
 */
import { lstatSync } from 'node:fs';
import { rename, statfs } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../../core/errors.ts';
import { toTransferError } from '../local/errors.ts';
import type { Confiner } from './confine.ts';
import { digestFile } from './digest.ts';
import type { HeldFiles } from './held.ts';
import type { LandingHooks } from './landing.ts';
import { asideName, partialPath } from './names.ts';
import { packJson, unpackJson } from './plans.ts';

/** HQ's question, per file: `[destination, size at HQ, chunk size a digest would use]`. */
export type HeldQuestion = [destination: string, size: number, chunk: number];
/**
 * The answer, per file: absent (null), `[size, mtimeMs, hash or null, chunk]` of what is there, or
 * `['partial', chunkSize, [index, hash][]]`: only a partial file, with the chunks verified into it.
 */
export type HeldAnswer = [size: number, mtimeMs: number, hash: string | null, chunk: number] | ['partial', chunkSize: number, chunks: [number, string][]] | null;

export async function answerHeld(confiner: Confiner, held: HeldFiles, payload: unknown): Promise<{ z: string }> {
  const questions = unpackJson(payload) as HeldQuestion[];
  if (!Array.isArray(questions)) throw new HandoffError('WIRE_PROTOCOL', 'A held question is not a list');
  const answers: HeldAnswer[] = [];
  for (const question of questions) answers.push(await answerOne(confiner, held, question));
  return packJson(answers);
}

async function answerOne(confiner: Confiner, held: HeldFiles, [destination, size, chunk]: HeldQuestion): Promise<HeldAnswer> {
  let absolute: string;
  try {
    const resolved = confiner.resolve(String(destination), false);
    absolute = typeof resolved === 'string' ? resolved : await resolved;
  } catch {
    return null; // its folder is not there (or is refused): nothing held
  }
  const info = lstatSync(absolute, { throwIfNoEntry: false });
  if (!info) {
    // Not in place: a partial this agent wrote chunks into (HQ went away meanwhile) keeps them for the next HQ.
    const partial = held.partial(destination);
    if (!partial || partial.size !== size || lstatSync(partialPath(absolute), { throwIfNoEntry: false })?.size !== size) return null;
    return ['partial', partial.chunkSize, [...partial.received]];
  }
  if (!info.isFile()) return null;
  const mtimeMs = Math.trunc(info.mtimeMs);
  const record = held.get(destination);
  if (record && record.size === info.size && record.mtimeMs === mtimeMs) return [info.size, mtimeMs, record.hash, record.chunk];
  if (info.size !== size) return [info.size, mtimeMs, null, 0];
  // Same size but no record of it (put there before records were kept, or just before a crash): hash it here.
  const digest = await digestFile(absolute, info.size, mtimeMs, Number(chunk) || 0);
  if (!digest) return null;
  held.put(destination, digest);
  return [digest.size, mtimeMs, digest.hash, digest.chunk];
}

/** Renames the vendor's own versions out of the way; answers each one's new path (null when it was gone). */
export async function setAside(confiner: Confiner, held: HeldFiles, destinations: unknown): Promise<(string | null)[]> {
  if (!Array.isArray(destinations)) throw new HandoffError('WIRE_PROTOCOL', 'setAside wants a list of paths');
  const now = new Date();
  const moved: (string | null)[] = [];
  for (const destination of destinations as string[]) {
    const resolved = confiner.resolve(String(destination), false);
    const absolute = typeof resolved === 'string' ? resolved : await resolved;
    if (!lstatSync(absolute, { throwIfNoEntry: false })?.isFile()) {
      moved.push(null);
      continue;
    }
    const name = path.basename(absolute);
    let aside = asideName(name, now);
    for (let attempt = 1; lstatSync(path.join(path.dirname(absolute), aside), { throwIfNoEntry: false }); attempt++) aside = asideName(name, now, attempt);
    await rename(absolute, path.join(path.dirname(absolute), aside));
    held.forget(destination);
    const slash = destination.lastIndexOf('/');
    moved.push(slash < 0 ? aside : `${destination.slice(0, slash)}/${aside}`);
  }
  return moved;
}

export interface DiskFull {
  path: string;
  needed: number;
  free: number;
}

/** How files land at the vendor: recorded once in place; a full disk named, with the space needed. */
export function vendorLanding(root: string, held: HeldFiles, onDiskFull?: (full: DiskFull) => void): LandingHooks {
  const freeBytes = async (): Promise<number> => {
    const info = await statfs(root);
    return Number(info.bavail) * Number(info.bsize);
  };
  const full = async (destination: string, needed: number, cause?: unknown): Promise<HandoffError> => {
    const free = await freeBytes().catch(() => 0);
    onDiskFull?.({ path: destination, needed, free });
    return new HandoffError('VENDOR_DISK_FULL', `The vendor's disk is full: ${destination} needs ${formatBytes(needed)}, ${formatBytes(free)} free`, {
      cause,
      retryable: true,
      details: { path: destination, needed, free },
      hint: "Free space on the vendor's storage; the delivery resumes by itself.",
    });
  };
  return {
    placed: (destination, digest) => held.put(destination, digest),
    dropped: (destination, partial) => held.notePartial(destination, partial),
    async reserve(bytes, destination) {
      // Leave a little room for folders and the file's metadata.
      if ((await freeBytes().catch(() => Infinity)) < bytes + 64 * 1024) throw await full(destination, bytes);
    },
    async failed(err, destination, needed) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EDQUOT') return full(destination, needed, err);
      return toTransferError(err, destination);
    },
  };
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
