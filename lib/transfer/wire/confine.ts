/**
 * Fast confinement for many paths under one root: each folder is proven inside
 * the root once (from its proven parent with one lstat, else through
 * lib/core/paths with symlinks resolved) and then cached, so a
 * 20,000-file tree does not pay a realpath per file. Files themselves are opened
 * with O_NOFOLLOW and written through a temporary name, so a link at the leaf
 * is never followed.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { confinePath, joinSafeName } from '../../core/paths/index.ts';
import { keepForm, keepFormOrUndefined } from './names.ts';

export interface Confiner {
  /**
   * Absolute path of a relative one, its folder proven inside the root (and
   * created when `create`). Synchronous when the folder is already proven;
   * `again` proves it afresh (someone removed a folder that was known).
   */
  resolve(relative: string, create: boolean, again?: boolean): string | Promise<string>;
}

export function createConfiner(root: string): Confiner {
  const proven = new Map<string, { absolute: string; exists: boolean }>();
  /**
   * Proves `dir` from a proven parent with one lstat (after a mkdir when creating):
   * a real folder, not a link, inside a proven folder is inside the root. Undefined
   * when that does not settle it (missing, a link, root not yet proven): the full
   * check then decides.
   */
  const step = (dir: string, create: boolean): string | undefined => {
    const known = proven.get(dir);
    if (known && (known.exists || !create)) return known.absolute;
    if (dir === '') return undefined;
    const slash = dir.lastIndexOf('/');
    const parent = step(slash < 0 ? '' : dir.slice(0, slash), create);
    if (parent === undefined) return undefined;
    const absolute = path.join(parent, dir.slice(slash + 1));
    try {
      if (create) mkdirSync(absolute);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return undefined;
    }
    const info = lstatSync(absolute, { throwIfNoEntry: false });
    if (!info?.isDirectory()) return undefined;
    proven.set(dir, { absolute, exists: true });
    return absolute;
  };
  const proveDir = async (dir: string, create: boolean): Promise<string> => {
    if (!proven.has('')) proven.set('', { absolute: await realpath(root), exists: true });
    const quick = step(dir, create);
    if (quick !== undefined) return quick;
    let absolute = dir === '' ? await realpath(root) : await confinePath(root, dir);
    if (create && dir !== '') {
      await mkdir(absolute, { recursive: true });
      absolute = await confinePath(root, dir);
    }
    proven.set(dir, { absolute, exists: create || proven.get(dir)?.exists === true });
    return absolute;
  };
  // Folders as they came from the other side → their safe form, so each file's path is vetted by its name only.
  const safeFolders = new Map<string, string>();
  // Names keep their Unicode form (names.ts): what lands has the bytes that were sent.
  const vet = (relative: string): string => {
    const slash = relative.lastIndexOf('/');
    if (slash <= 0) return keepForm(relative);
    const folder = relative.slice(0, slash);
    let safeFolder = safeFolders.get(folder);
    if (safeFolder === undefined) {
      safeFolder = keepFormOrUndefined(folder);
      if (safeFolder === undefined) return keepForm(relative);
      safeFolders.set(folder, safeFolder);
    }
    return joinSafeName(safeFolder, relative.slice(slash + 1)) ?? keepForm(relative);
  };
  return {
    resolve(relative, create, again = false) {
      const safe = vet(relative);
      const slash = safe.lastIndexOf('/');
      const dir = slash < 0 ? '' : safe.slice(0, slash);
      const base = slash < 0 ? safe : safe.slice(slash + 1);
      for (let folder = dir; again && folder !== ''; folder = folder.slice(0, Math.max(0, folder.lastIndexOf('/')))) proven.delete(folder);
      const known = step(dir, create);
      if (known !== undefined) return inFolder(known, base);
      return proveDir(dir, create).then((absolute) => inFolder(absolute, base));
    },
  };
}

/** `name` (one vetted segment) inside `folder` (absolute and normal): `path.join` without its normalising pass. */
function inFolder(folder: string, name: string): string {
  return folder.endsWith(path.sep) ? `${folder}${name}` : `${folder}${path.sep}${name}`;
}
