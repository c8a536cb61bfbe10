/**
 * How a file lands at the receiving end: under a hidden partial name beside
 * its destination, renamed into place only once its bytes are verified. Small
 * files land here whole: verified in memory, written, dated and renamed one
 * after another, with no round trip.
 */
import { closeSync, constants, futimesSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { HandoffError } from '../../core/errors.ts';
import { toTransferError } from '../local/errors.ts';
import type { FileDigest } from '../transport.ts';
import { hashChunk } from './chunk-hash.ts';
import { partialPath } from './names.ts';
import type { ResolveWrite, WireFailure } from './receiver.ts';

/** Flags a partial file is opened with: never through a link at the leaf. */
export const PARTIAL_WRITE_FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW;

/** A whole small file of a batch, as its sender described it. */
export interface SmallFile {
  destination: string;
  size: number;
  mtimeMs: number;
  hash: string;
}

export { partialPath };

/** The chunks of a partial file verified on arrival, by index. */
export interface PartialChunks {
  size: number;
  chunkSize: number;
  received: ReadonlyMap<number, string>;
}

/** What the receiving end does around landing files (the agent records them and names a full disk). */
export interface LandingHooks {
  /** Called for each file put in place, with the digest of its bytes. */
  placed?: ((destination: string, digest: FileDigest) => void) | undefined;
  /** Throws (VENDOR_DISK_FULL) when `bytes` more cannot fit, before anything is written. */
  reserve?: ((bytes: number, destination: string) => Promise<void>) | undefined;
  /** A file left half-written (its partial stays): the chunks verified into it, for a sender that lost count. */
  dropped?: ((destination: string, partial: PartialChunks) => void) | undefined;
  /** The error to report for a failed write of `destination`, which needed `needed` bytes. */
  failed?: ((err: unknown, destination: string, needed: number) => Promise<HandoffError>) | undefined;
}

export async function landingError(hooks: LandingHooks, err: unknown, destination: string, needed: number): Promise<WireFailure> {
  const error = hooks.failed ? await hooks.failed(err, destination, needed) : toTransferError(err, destination);
  return { code: error.code, message: error.message, retryable: error.retryable };
}

/** Writes a batch of whole small files (their bytes back to back in `body`); one result per file (null = in place). */
export async function writeSmallFiles(resolve: ResolveWrite, files: SmallFile[], body: Buffer, hooks: LandingHooks = {}): Promise<(WireFailure | null)[]> {
  try {
    await hooks.reserve?.(body.length, files[0]?.destination ?? '');
  } catch (err) {
    const failure = await landingError(hooks, err, files[0]?.destination ?? '', body.length);
    return files.map(() => failure);
  }
  const results: (WireFailure | null)[] = [];
  let offset = 0;
  for (const entry of files) {
    const data = body.subarray(offset, offset + entry.size);
    offset += entry.size;
    let temporary: string | undefined;
    try {
      if (data.length !== entry.size || hashChunk(data) !== entry.hash) {
        throw new HandoffError('WIRE_CHUNK_CORRUPT', `${entry.destination} failed verification`, { retryable: true });
      }
      const resolved = resolve(entry.destination);
      let final = typeof resolved === 'string' ? resolved : await resolved;
      temporary = partialPath(final);
      let fd: number;
      try {
        fd = openSync(temporary, PARTIAL_WRITE_FLAGS | constants.O_TRUNC, 0o644);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        // The folder was removed since this receiver last wrote into it: make it again.
        final = await resolve(entry.destination, true);
        temporary = partialPath(final);
        fd = openSync(temporary, PARTIAL_WRITE_FLAGS | constants.O_TRUNC, 0o644);
      }
      try {
        let written = 0;
        while (written < data.length) written += writeSync(fd, data, written, data.length - written);
        futimesSync(fd, entry.mtimeMs / 1000, entry.mtimeMs / 1000);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, final);
      temporary = undefined;
      hooks.placed?.(entry.destination, { size: entry.size, mtimeMs: Math.trunc(entry.mtimeMs), hash: entry.hash, chunk: 0 });
      results.push(null);
    } catch (err) {
      // Nothing half-written stays behind (on a full disk it also gives the space back).
      if (temporary) rmSync(temporary, { force: true });
      results.push(await landingError(hooks, err, entry.destination, entry.size));
    }
  }
  return results;
}
