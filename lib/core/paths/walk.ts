/**
 * Walking a folder tree from outside (a vendor's publish, a delivery) without
 * ever leaving its root: symlinks that stay inside are followed, links that
 * leave it and names that are unsafe on any host are reported, not entered.
 */
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../errors.ts';
import { isInside, realRootOf } from './confine.ts';
import { checkRelative } from './safe-relative.ts';

export type WalkEntry =
  | { kind: 'file'; relative: string; path: string; size: number; mtimeMs: number }
  | { kind: 'directory'; relative: string; path: string }
  | { kind: 'refused'; relative: string; path: string; error: HandoffError };

export interface WalkOptions {
  /** Stop descending below this depth (1 = only the root's children). Default unlimited. */
  maxDepth?: number;
}

/**
 * Yields every file and folder below `root` in name order, as `/`-separated
 * relative paths. A symlink leaving the root, a symlink loop or an unsafe name
 * yields a `refused` entry (PATH_OUTSIDE_ROOT or PATH_UNSAFE) and is not entered;
 * so does a folder or file that cannot be read (PATH_UNREADABLE). `relative` is
 * the name as it is on disk; it passed checkRelative, which compares it in NFC.
 */
export async function* walkTree(root: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry> {
  const realRoot = await realRootOf(root);
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  yield* walkFolder({ root, realRoot, maxDepth }, realRoot, '', [realRoot]);
}

interface WalkContext {
  root: string;
  realRoot: string;
  maxDepth: number;
}

async function* walkFolder(ctx: WalkContext, dir: string, relative: string, ancestors: string[]): AsyncGenerator<WalkEntry> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if (relative === '') throw unreadable(relative || '.', err);
    yield refused(relative, dir, unreadable(relative, err));
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rel = relative ? `${relative}/${entry.name}` : entry.name;
    const full = path.join(dir, entry.name);
    const checked = entry.name.includes('\\')
      ? ({ ok: false, reason: 'invalid-character', message: 'a backslash is a separator on Windows' } as const)
      : checkRelative(rel);
    if (!checked.ok) {
      yield refused(rel, full, new HandoffError('PATH_UNSAFE', `Refused name ${JSON.stringify(rel)}: ${checked.message}`, {
        details: { path: rel, reason: checked.reason },
        hint: 'Rename it so it is safe on Windows, macOS and Linux.',
      }));
      continue;
    }
    let target = full;
    if (entry.isSymbolicLink()) {
      const real = await realpath(full).catch(() => undefined);
      if (real === undefined || !isInside(ctx.realRoot, real)) {
        yield refused(rel, full, outside(rel, ctx.root, real));
        continue;
      }
      target = real;
    }
    const info = await stat(target).catch((err: unknown) => unreadable(rel, err));
    if (info instanceof HandoffError) {
      yield refused(rel, full, info);
      continue;
    }
    if (info.isDirectory()) {
      if (ancestors.includes(target)) {
        yield refused(rel, full, new HandoffError('PATH_UNSAFE', `Folder ${JSON.stringify(rel)} links back to a folder that contains it`, {
          details: { path: rel, reason: 'symlink-loop' },
          hint: 'Remove the symlink that loops back into the tree.',
        }));
        continue;
      }
      yield { kind: 'directory', relative: rel, path: full };
      if (ancestors.length < ctx.maxDepth) yield* walkFolder(ctx, target, rel, [...ancestors, target]);
    } else if (info.isFile()) {
      yield { kind: 'file', relative: rel, path: full, size: info.size, mtimeMs: info.mtimeMs };
    }
  }
}

function refused(relative: string, full: string, error: HandoffError): WalkEntry {
  return { kind: 'refused', relative, path: full, error };
}

function unreadable(relative: string, err: unknown): HandoffError {
  const code = (err as NodeJS.ErrnoException).code ?? 'unknown';
  return new HandoffError('PATH_UNREADABLE', `Cannot read ${JSON.stringify(relative)} (${code})`, {
    cause: err,
    details: { path: relative, reason: code },
    hint: 'Check that the folder and its files are readable by the handoff service, then retry.',
  });
}

function outside(relative: string, root: string, real: string | undefined): HandoffError {
  const dangling = real === undefined;
  return new HandoffError('PATH_OUTSIDE_ROOT', `Symlink ${JSON.stringify(relative)} ${dangling ? 'points nowhere' : 'points outside the folder'}`, {
    details: { path: relative, root, reason: dangling ? 'dangling-symlink' : 'symlink-escape', ...(real ? { resolved: real } : {}) },
    hint: 'Replace the symlink with the files themselves.',
  });
}
