/**
 * Collecting what one task sends: each rule entry names a folder template
 * (relative to the project's volume) and globs; the folder is confined to the
 * volume, scanned, and its frames grouped into sequences. A missing folder is
 * reported per task (optional ones only noted), never thrown for the batch.
 */
import { statSync } from 'node:fs';
import { toHandoffError, type HandoffError } from '../core/errors.ts';
import { confinePath, realRootOf, toSafeRelative } from '../core/paths/index.ts';
import type { FieldValues } from '../core/naming/index.ts';
import { findSequences } from '../core/sequences/index.ts';
import { compileGlobs } from './glob.ts';
import { formatName } from './names.ts';
import { scanFolder, type ScannedFile } from './scan.ts';
import type { SendEntry } from './settings.ts';

export interface CollectedSource {
  /** The rule entry's template name (`plates`) or text. */
  name: string;
  folder: string;
  files: ScannedFile[];
  /** Transfer sources: folders sent whole, or single files. */
  sources: string[];
  /** Frame sequences as `plate.####.exr 1001-1100`, then single files' count. */
  sequences: { pattern: string; frames: string; count: number }[];
  singles: number;
}

export type CollectProblem =
  | { kind: 'missing'; name: string; folder: string; optional: boolean }
  | { kind: 'refused'; name: string; path: string; code: string; message: string };

export interface Collected {
  sources: CollectedSource[];
  problems: CollectProblem[];
  files: number;
  bytes: number;
}

export interface CollectInput {
  volumeRoot: string;
  send: readonly SendEntry[];
  paths: Readonly<Record<string, string>>;
  fields: FieldValues;
}

export async function collectTask({ volumeRoot, send, paths, fields }: CollectInput): Promise<Collected> {
  const out: Collected = { sources: [], problems: [], files: 0, bytes: 0 };
  const realVolume = await realRootOf(volumeRoot);
  for (const entry of send) {
    const name = entry.template;
    let folder: string;
    let absolute: string;
    try {
      folder = toSafeRelative(formatName(paths[name] ?? name, fields));
      absolute = await confinePath(volumeRoot, folder);
    } catch (err) {
      const error = toHandoffError(err, 'OUTSOURCE_SOURCE_INVALID');
      out.problems.push({ kind: 'refused', name, path: String(error.details.path ?? paths[name] ?? name), code: error.code, message: error.message });
      continue;
    }
    const stats = statSync(absolute, { throwIfNoEntry: false });
    if (!stats) {
      out.problems.push({ kind: 'missing', name, folder, optional: entry.optional });
      continue;
    }
    const source = stats.isDirectory() ? await scanDirectory(realVolume, folder, entry.globs) : singleFile(folder, stats.size, stats.mtimeMs);
    for (const refused of source.refused) {
      out.problems.push({ kind: 'refused', name, path: refused.path, code: refused.error.code, message: refused.error.message });
    }
    if (!source.files.length && !entry.optional) out.problems.push({ kind: 'missing', name, folder, optional: false });
    if (!source.files.length) continue;
    out.sources.push({ name, folder, ...summarise(folder, source.files), files: source.files, sources: source.sources });
    out.files += source.files.length;
    out.bytes += source.files.reduce((sum, f) => sum + f.size, 0);
  }
  return out;
}

async function scanDirectory(realVolume: string, folder: string, globs: readonly string[]) {
  return scanFolder(realVolume, folder, compileGlobs(globs));
}

function singleFile(path: string, size: number, mtimeMs: number) {
  return { files: [{ path, size, mtimeMs: Math.trunc(mtimeMs) }], sources: [path], refused: [] as { path: string; error: HandoffError }[] };
}

function summarise(folder: string, files: ScannedFile[]) {
  const names = files.map((f) => (f.path.length > folder.length ? f.path.slice(folder.length + 1) : f.path));
  const found = findSequences(names, { minFrames: 2 });
  return {
    sequences: found.sequences.map((s) => ({ pattern: s.pattern('#'), frames: s.frames.toString(), count: s.files.length })),
    singles: found.singles.length,
  };
}
