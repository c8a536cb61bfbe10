/**
 * Path safety: every path that comes from outside (a vendor, a config file, the
 * other end of a transfer) goes through here before it touches a disk.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../errors.ts';

/**
 * Normalises a relative path from outside (NFC, `/` separators, no `.` or empty
 * segments) and refuses anything that could leave its root. Throws PATH_UNSAFE.
 */
export function toSafeRelative(input: string): string {
  const refuse = (reason: string): never => {
    throw new HandoffError('PATH_UNSAFE', `Refused path ${JSON.stringify(input)}: ${reason}`, {
      details: { path: input, reason },
      hint: 'Use a relative path inside the share, without "..", drive letters or control characters.',
    });
  };
  if (typeof input !== 'string' || input.length === 0) refuse('empty path');
  const text = input.normalize('NFC').replace(/\\/g, '/');
  if (text.startsWith('/')) refuse('absolute path');
  if (/^[a-zA-Z]:/.test(text)) refuse('drive letter');
  const parts = text.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length === 0) refuse('empty path');
  for (const part of parts) {
    if (part === '..') refuse('".." segment');
  }
  return parts.join('/');
}

/**
 * Joins a relative path onto a root and proves the result stays inside it, even
 * through symlinks that already exist on disk. Throws PATH_UNSAFE or PATH_OUTSIDE_ROOT.
 */
export async function confinePath(root: string, relative: string): Promise<string> {
  const safe = toSafeRelative(relative);
  const realRoot = await realpath(root);
  const joined = path.join(realRoot, ...safe.split('/'));
  const real = await realpathOfExistingPrefix(joined);
  if (real !== realRoot && !real.startsWith(realRoot + path.sep)) {
    throw new HandoffError('PATH_OUTSIDE_ROOT', `Path ${JSON.stringify(relative)} resolves outside its root`, {
      details: { path: relative, root },
      hint: 'A symlink inside the share points outside it; remove the link or copy the files in.',
    });
  }
  return joined;
}

async function realpathOfExistingPrefix(target: string): Promise<string> {
  let current = target;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await realpath(current), ...rest);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const parent = path.dirname(current);
      if (parent === current) return target;
      rest.unshift(path.basename(current));
      current = parent;
    }
  }
}
