/**
 * The sending end's file access: expands task sources into file plans (folders
 * walked without following symlinks, every path confined to the root) and reads
 * chunks or whole small files with O_NOFOLLOW.
 */
import { closeSync, constants, lstatSync, openSync, readSync, readdirSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../../core/errors.ts';
import { chunkBuffers } from './buffer-pool.ts';
import { confinePath, toSafeRelative } from '../../core/paths/index.ts';
import type { FilePlan, ListRequest } from '../transport.ts';

const MAX_FILES = 5_000_000;
/** Files still being written by a transfer (names.ts) are never sent on. */
const PARTIAL_SUFFIX = '.handoff-partial';

export async function listTree(root: string, requests: ListRequest[]): Promise<FilePlan[]> {
  const plans: FilePlan[] = [];
  for (const request of requests) {
    const source = toSafeRelative(request.source);
    const destination = toSafeRelative(request.destination);
    const absolute = await confinePath(root, source);
    const info = await stat(absolute).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') {
        throw new HandoffError('TRANSFER_SOURCE_MISSING', `Nothing to send at ${source}`, {
          details: { path: source },
          hint: 'Check the task source path; the file or folder must exist on the sending side.',
        });
      }
      throw err;
    });
    if (info.isFile()) {
      plans.push({ taskId: request.taskId, source, destination, size: info.size, mtimeMs: info.mtimeMs });
    } else if (info.isDirectory()) {
      walk(absolute, '', (relative, size, mtimeMs) => {
        if (plans.length >= MAX_FILES) throw new HandoffError('TRANSFER_SOURCE_TOO_LARGE', `More than ${MAX_FILES} files under ${source}`);
        plans.push({ taskId: request.taskId, source: `${source}/${relative}`, destination: `${destination}/${relative}`, size, mtimeMs });
      });
    }
  }
  return plans;
}

/**
 * Depth-first walk of regular files; symlinks and special files are left out.
 * `absolute` is a normalised path, so names (which hold no separator) are joined
 * to it as they are.
 */
function walk(absolute: string, relative: string, onFile: (relative: string, size: number, mtimeMs: number) => void): void {
  const entries = readdirSync(absolute, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const childRelative = relative ? `${relative}/${entry.name}` : entry.name;
    const childAbsolute = absolute.endsWith(path.sep) ? `${absolute}${entry.name}` : `${absolute}${path.sep}${entry.name}`;
    if (entry.isDirectory()) walk(childAbsolute, childRelative, onFile);
    else if (entry.isFile() && !entry.name.endsWith(PARTIAL_SUFFIX)) {
      const info = lstatSync(childAbsolute);
      onFile(childRelative, info.size, info.mtimeMs);
    }
  }
}

/** Opens a source file for chunked reads and checks it still matches its plan. */
export async function openSource(absolute: string, plan: FilePlan): Promise<FileHandle> {
  const handle = await open(absolute, constants.O_RDONLY | constants.O_NOFOLLOW);
  const info = await handle.stat();
  if (info.size !== plan.size || Math.trunc(info.mtimeMs) !== Math.trunc(plan.mtimeMs)) {
    await handle.close();
    throw changedError(plan.source);
  }
  return handle;
}

export async function readChunk(handle: FileHandle, index: number, chunkSize: number, size: number): Promise<Buffer> {
  const offset = index * chunkSize;
  const length = Math.min(chunkSize, size - offset);
  const buffer = chunkBuffers.take(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
    if (bytesRead === 0) throw new HandoffError('TRANSFER_SOURCE_CHANGED', 'A source file shrank while it was being sent', { retryable: true });
    filled += bytesRead;
  }
  return buffer;
}

/**
 * Reads a whole small file synchronously into `target` at `offset`; returns its
 * bytes. A batch's files share one buffer (no allocation per file, one body per
 * frame), which has one byte of room past the last file: each file is read with
 * one byte to spare, so one read both fills it and shows it has not grown, and
 * the file is opened, read and closed without a stat. A file whose size changed
 * since it was listed is refused (the task is listed again); one rewritten at
 * the same size goes with its new bytes and the listed mtime, so the next
 * comparison sends it again.
 */
export function readSmallInto(absolute: string, plan: FilePlan, target: Buffer, offset: number): Buffer {
  if (target.length < offset + plan.size + 1) throw new RangeError('readSmallInto needs one spare byte past the file');
  const fd = openSync(absolute, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    let filled = readSync(fd, target, offset, plan.size + 1, 0);
    // A short read of a regular file is its end; one that stops early on other file systems reads on.
    while (filled < plan.size) {
      const read = readSync(fd, target, offset + filled, plan.size + 1 - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    if (filled !== plan.size) throw changedError(plan.source);
    return target.subarray(offset, offset + plan.size);
  } finally {
    closeSync(fd);
  }
}

/** A buffer for whole small files read back to back with `readSmallInto`. */
export function smallFilesBuffer(files: readonly { size: number }[]): Buffer {
  return chunkBuffers.take(files.reduce((sum, file) => sum + file.size, 0) + 1);
}

function changedError(source: string): HandoffError {
  return new HandoffError('TRANSFER_SOURCE_CHANGED', `${source} changed since it was listed`, {
    retryable: true,
    details: { path: source },
    hint: 'The task is retried with the new contents; avoid writing into folders while they are sent.',
  });
}
