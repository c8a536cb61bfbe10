/**
 * A landed folder read back from disk at HQ: its files (walked safely), and
 * its main image sequence as a printf pattern for the extract plugins.
 */
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { findSequences } from '../core/sequences/index.ts';
import { walkTree } from '../core/paths/index.ts';
import type { PublishInstance } from '../publish/index.ts';
import type { FolderFile } from './folder-data.ts';
import { groupByFolder } from './tree.ts';

const IMAGE_EXTENSIONS = new Set(['exr', 'dpx', 'png', 'tif', 'tiff', 'jpg', 'jpeg', 'tga']);

/** The files under a landed folder; anything refused (a symlink out, an unsafe name) is an error. */
export async function landedFiles(folder: string): Promise<FolderFile[]> {
  const files: FolderFile[] = [];
  const refused: string[] = [];
  for await (const entry of walkTree(folder)) {
    if (entry.kind === 'file') files.push({ path: entry.relative, size: entry.size });
    else if (entry.kind === 'refused') refused.push(`${entry.relative}: ${entry.error.message}`);
  }
  if (refused.length) {
    throw new HandoffError('PUBLISH_LANDED_UNSAFE', `The landed folder ${folder} holds entries that cannot be published: ${refused.join('; ')}`, {
      hint: 'Remove them from the landed folder, then retry the job.',
      details: { folder, refused },
    });
  }
  return files;
}

/** The image sequence with the most frames, as `dir/name.%04d.exr` with its range; undefined when none. */
export function mainSequence(root: string, files: FolderFile[]): NonNullable<PublishInstance['media']> | undefined {
  let best: { pattern: string; first: number; last: number; count: number } | undefined;
  for (const [dir, names] of groupByFolder(files)) {
    const images = names.filter((n) => IMAGE_EXTENSIONS.has(n.slice(n.lastIndexOf('.') + 1).toLowerCase()));
    for (const seq of findSequences(images).sequences) {
      if (best && seq.files.length <= best.count) continue;
      best = { pattern: path.join(root, dir, seq.pattern('%0Nd')), first: seq.start!, last: seq.end!, count: seq.files.length };
    }
  }
  return best && { path: best.pattern, range: { first: best.first, last: best.last } };
}
