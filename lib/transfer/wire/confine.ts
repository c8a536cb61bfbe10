/**
 * Fast confinement for many paths under one root: each folder is proven inside
 * the root once (lib/core/paths, symlinks resolved) and then cached, so a
 * 20,000-file tree does not pay a realpath per file. Files themselves are opened
 * with O_NOFOLLOW and written through a temporary name, so a link at the leaf
 * is never followed.
 */
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { confinePath, toSafeRelative } from '../../core/paths/index.ts';

export interface Confiner {
  /**
   * Absolute path of a relative one, its folder proven inside the root (and
   * created when `create`). Synchronous when the folder is already proven.
   */
  resolve(relative: string, create: boolean): string | Promise<string>;
}

export function createConfiner(root: string): Confiner {
  const proven = new Map<string, { absolute: string; exists: boolean }>();
  const proveDir = async (dir: string, create: boolean): Promise<string> => {
    let absolute = dir === '' ? await realpath(root) : await confinePath(root, dir);
    if (create && dir !== '') {
      await mkdir(absolute, { recursive: true });
      absolute = await confinePath(root, dir);
    }
    proven.set(dir, { absolute, exists: create || proven.get(dir)?.exists === true });
    return absolute;
  };
  return {
    resolve(relative, create) {
      const safe = toSafeRelative(relative);
      const slash = safe.lastIndexOf('/');
      const dir = slash < 0 ? '' : safe.slice(0, slash);
      const base = slash < 0 ? safe : safe.slice(slash + 1);
      const known = proven.get(dir);
      if (known && (known.exists || !create)) return path.join(known.absolute, base);
      return proveDir(dir, create).then((absolute) => path.join(absolute, base));
    },
  };
}
