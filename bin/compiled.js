// The compiled copy of lib/ in dist/ (made by `npm run build`, see bin/build.js) and whether it is
// still the same as the sources: a stamp of how many files lib/ holds and the newest change.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const libDir = path.join(root, 'lib');
export const distDir = path.join(root, 'dist');
export const stampFile = path.join(distDir, '.source-stamp.json');

/** What the compiled copy was made from: the file count of lib/ and its newest modification time. */
export function sourceStamp() {
  let files = 0;
  let newest = 0;
  for (const entry of readdirSync(libDir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return { files, newest };
}

/** The compiled CLI's entry when dist/ matches lib/, else undefined (then the sources run through tsx). */
export function compiledEntry() {
  try {
    const made = JSON.parse(readFileSync(stampFile, 'utf8'));
    const now = sourceStamp();
    return made.files === now.files && made.newest === now.newest ? path.join(distDir, 'cli', 'main.js') : undefined;
  } catch {
    return undefined;
  }
}
