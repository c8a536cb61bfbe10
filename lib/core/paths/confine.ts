/**
 * Confinement: joining a vetted relative path onto a root and proving the
 * result stays inside it, through any symlinks that exist on disk at the time
 * of the call (dangling ones included: a write through them would land outside).
 */
import { lstat, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../errors.ts';
import { toSafeRelative } from './safe-relative.ts';

/** Symlink hops followed before giving up, as the kernel does (ELOOP). */
const MAX_LINK_HOPS = 40;

/**
 * Joins a relative path onto a root and proves the result stays inside it.
 * Returns the joined absolute path under the root's real path.
 * Throws PATH_UNSAFE, PATH_OUTSIDE_ROOT or PATH_ROOT_NOT_FOUND.
 */
export async function confinePath(root: string, relative: string): Promise<string> {
  const safe = toSafeRelative(relative);
  const realRoot = await realRootOf(root);
  const joined = path.join(realRoot, ...safe.split('/'));
  const real = await resolveOnDisk(joined, { hops: 0, relative });
  if (!isInside(realRoot, real)) {
    throw new HandoffError('PATH_OUTSIDE_ROOT', `Path ${JSON.stringify(relative)} resolves outside its root`, {
      details: { path: relative, root, resolved: real, reason: 'symlink-escape' },
      hint: 'A symlink inside the share points outside it; remove the link or copy the files in.',
    });
  }
  return joined;
}

/** The real path of a root folder; PATH_ROOT_NOT_FOUND when it does not exist. */
export async function realRootOf(root: string): Promise<string> {
  try {
    return await realpath(root);
  } catch (err) {
    throw new HandoffError('PATH_ROOT_NOT_FOUND', `Root folder ${JSON.stringify(root)} does not exist`, {
      cause: err,
      details: { root, reason: 'root-missing' },
      hint: 'Create the folder or fix the storage root in the configuration.',
    });
  }
}

/** True when `candidate` is `root` or below it (both absolute and resolved). */
export function isInside(root: string, candidate: string): boolean {
  const rel = path.relative(root, candidate);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel));
}

/**
 * Where `target` really points: realpath of the longest existing prefix, with
 * dangling symlinks followed to where they would create their target.
 */
async function resolveOnDisk(target: string, state: { hops: number; relative: string }): Promise<string> {
  try {
    return await realpath(target);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ELOOP') throw loop(state.relative);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw err;
  }
  const parent = path.dirname(target);
  if (parent === target) return target;
  const candidate = path.join(await resolveOnDisk(parent, state), path.basename(target));
  let isLink: boolean;
  try {
    isLink = (await lstat(candidate)).isSymbolicLink();
  } catch {
    return candidate;
  }
  if (!isLink) return candidate;
  if (++state.hops > MAX_LINK_HOPS) throw loop(state.relative);
  return resolveOnDisk(path.resolve(path.dirname(candidate), await readlink(candidate)), state);
}

function loop(relative: string): HandoffError {
  return new HandoffError('PATH_UNSAFE', `Path ${JSON.stringify(relative)} goes through a symlink loop`, {
    details: { path: relative, reason: 'symlink-loop' },
    hint: 'Remove the looping symlinks from the folder.',
  });
}
