/**
 * How a file lands at the receiving end: under a hidden partial name beside
 * its destination, renamed into place only once its bytes are verified. Small
 * files land here whole: verified in memory, written, dated and renamed one
 * after another, with no round trip.
 */
import { closeSync, constants, futimesSync, openSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import { HandoffError } from '../../core/errors.ts';
import { toTransferError } from '../local/errors.ts';
import { hashChunk } from './chunk-hash.ts';
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

/** The hidden name a file is written under until it is verified (beside it, so the rename stays on one file system). */
export function partialPath(final: string): string {
  const cut = Math.max(final.lastIndexOf('/'), final.lastIndexOf(path.sep)) + 1;
  return `${final.slice(0, cut)}.${final.slice(cut)}.handoff-partial`;
}

/** Writes a batch of whole small files (their bytes back to back in `body`); one result per file (null = in place). */
export async function writeSmallFiles(resolve: ResolveWrite, files: SmallFile[], body: Buffer): Promise<(WireFailure | null)[]> {
  const results: (WireFailure | null)[] = [];
  let offset = 0;
  for (const entry of files) {
    const data = body.subarray(offset, offset + entry.size);
    offset += entry.size;
    try {
      if (data.length !== entry.size || hashChunk(data) !== entry.hash) {
        throw new HandoffError('WIRE_CHUNK_CORRUPT', `${entry.destination} failed verification`, { retryable: true });
      }
      const resolved = resolve(entry.destination);
      let final = typeof resolved === 'string' ? resolved : await resolved;
      let temporary = partialPath(final);
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
      results.push(null);
    } catch (err) {
      const error = toTransferError(err, entry.destination);
      results.push({ code: error.code, message: error.message, retryable: error.retryable });
    }
  }
  return results;
}
