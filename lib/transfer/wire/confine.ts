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
  /** Absolute path of a relative one, its folder proven inside the root (created when `create`). */
  resolve(relative: string, create: boolean): Promise<string>;
}

export function createConfiner(root: string): Confiner {
  const proven = new Map<string, string>();
  const proveDir = async (dir: string, create: boolean): Promise<string> => {
    const cached = proven.get(dir);
    if (cached !== undefined) return cached;
    let absolute: string;
    if (dir === '') {
      absolute = await realpath(root);
    } else {
      absolute = await confinePath(root, dir);
      if (create) {
        await mkdir(absolute, { recursive: true });
        absolute = await confinePath(root, dir);
      }
    }
    proven.set(dir, absolute);
    return absolute;
  };
  return {
    async resolve(relative, create) {
      const safe = toSafeRelative(relative);
      const slash = safe.lastIndexOf('/');
      const dir = slash < 0 ? '' : safe.slice(0, slash);
      const base = slash < 0 ? safe : safe.slice(slash + 1);
      return path.join(await proveDir(dir, create), base);
    },
  };
}
