/**
 * The vendor's drop as a tree: built from local folders on the vendor side
 * (walking safely), and flattened at HQ into a folder's files with junk left
 * out and unsafe names set aside. HQ never trusts a name it is sent.
 */
import path from 'node:path';
import { checkRelative, walkTree } from '../core/paths/index.ts';
import type { FolderData } from './folder-data.ts';
import { isContentHash } from './content-hash.ts';
import type { TreeEntry } from './types.ts';

/** A name sent from outside; returns why it is unsafe, or undefined. */
export function unsafeName(relative: string): string | undefined {
  if (typeof relative !== 'string' || relative.includes('\\')) return 'a backslash is a separator on Windows';
  const checked = checkRelative(relative);
  return checked.ok ? undefined : checked.message;
}

/** The files of a dropped folder: every name vetted, all problems kept. */
export function flattenFolder(entry: TreeEntry): Pick<FolderData, 'files' | 'ignored' | 'unsafe'> {
  const out: Pick<FolderData, 'files' | 'ignored' | 'unsafe'> = { files: [], ignored: [], unsafe: [] };
  const visit = (children: TreeEntry[] | undefined, prefix: string, depth: number): void => {
    for (const child of Array.isArray(children) ? children : []) {
      if (typeof child !== 'object' || child === null) {
        out.unsafe.push({ path: prefix || '.', message: 'an entry is not a file or folder description' });
        continue;
      }
      const name = typeof child.filename === 'string' ? child.filename : '';
      const relative = prefix ? `${prefix}/${name}` : name;
      const bad = child.refused ?? (name.includes('/') ? 'a name cannot hold a "/"' : unsafeName(relative))
        ?? (child.hash !== undefined && !isContentHash(child.hash) ? 'its content hash is not an XXH3-128 (32 hex digits)' : undefined);
      if (bad) out.unsafe.push({ path: relative, message: bad });
      else if (child.is_dir) {
        if (depth < 32) visit(child.files, relative, depth + 1);
        else out.unsafe.push({ path: relative, message: 'folders are nested more than 32 deep' });
      } else {
        const size = Number.isFinite(child.size) && child.size >= 0 ? child.size : 0;
        out.files.push(isContentHash(child.hash) ? { path: relative, size, hash: child.hash } : { path: relative, size });
      }
    }
  };
  visit(entry.files, '', 0);
  return out;
}

/** Builds the tree of local folders (vendor side); symlinks out and unsafe names become refused entries. */
export async function buildTree(folders: string[]): Promise<TreeEntry[]> {
  const entries: TreeEntry[] = [];
  for (const folder of folders) {
    const root: TreeEntry = { filename: path.basename(path.resolve(folder)), is_dir: true, size: 0, files: [] };
    const byPath = new Map<string, TreeEntry>([['', root]]);
    for await (const item of walkTree(folder)) {
      const parentPath = item.relative.includes('/') ? item.relative.slice(0, item.relative.lastIndexOf('/')) : '';
      const parent = byPath.get(parentPath) ?? root;
      const filename = item.relative.slice(item.relative.lastIndexOf('/') + 1);
      const node: TreeEntry = item.kind === 'file'
        ? { filename, is_dir: false, size: item.size, modified: new Date(item.mtimeMs).toISOString() }
        : item.kind === 'directory'
          ? { filename, is_dir: true, size: 0, files: [] }
          : { filename, is_dir: false, size: 0, refused: item.error.message };
      parent.files!.push(node);
      if (item.kind === 'directory') byPath.set(item.relative, node);
    }
    sumSizes(root);
    entries.push(root);
  }
  return entries;
}

function sumSizes(entry: TreeEntry): number {
  if (!entry.is_dir) return entry.size;
  entry.size = (entry.files ?? []).reduce((sum, child) => sum + sumSizes(child), 0);
  return entry.size;
}

/** Files grouped by the folder that holds them: folder path → base names, in listing order. */
export function groupByFolder(files: readonly { path: string }[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const file of files) {
    const slash = file.path.lastIndexOf('/');
    const dir = slash < 0 ? '' : file.path.slice(0, slash);
    const names = groups.get(dir);
    if (names) names.push(file.path.slice(slash + 1));
    else groups.set(dir, [file.path.slice(slash + 1)]);
  }
  return groups;
}
