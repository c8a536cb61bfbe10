/**
 * Scanning a source folder fast and safely. Listing and stat run synchronously
 * in slices (stat calls through the thread pool cost more than the work on
 * local and NFS storage alike) and yield to the event loop between slices, so a
 * 100,000-frame plate folder takes a fraction of a second without stalling
 * other launches. Symlinks leaving the volume and unsafe names are refused.
 */
import { readdirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { checkRelative, isInside } from '../core/paths/index.ts';
import type { PathMatcher } from './glob.ts';

export interface ScannedFile {
  /** Relative to the volume, `/`-separated. */
  path: string;
  size: number;
  mtimeMs: number;
}

export interface ScanResult {
  files: ScannedFile[];
  /** What to hand the transfer core: whole folders where every file below matched, else single files. */
  sources: string[];
  refused: { path: string; error: HandoffError }[];
}

const SLICE = 2048;

export async function scanFolder(realVolume: string, folder: string, match: PathMatcher): Promise<ScanResult> {
  const result: ScanResult = { files: [], sources: [], refused: [] };
  let sinceYield = 0;
  const breathe = async () => {
    if (++sinceYield < SLICE) return;
    sinceYield = 0;
    await new Promise((resolve) => setImmediate(resolve));
  };

  /** Scans one folder; true when every file below it matched (the folder can go as one task). */
  async function visit(relative: string, inner: string): Promise<{ complete: boolean; sources: string[] }> {
    const absolute = path.join(realVolume, relative);
    const entries: Dirent[] = readdirSync(absolute, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    let complete = true;
    const sources: string[] = [];
    for (const entry of entries) {
      const rel = `${relative}/${entry.name}`;
      const innerRel = inner ? `${inner}/${entry.name}` : entry.name;
      const problem = refusal(realVolume, rel, entry);
      if (problem) {
        result.refused.push({ path: rel, error: problem });
        complete = false;
        continue;
      }
      const stats = statSync(path.join(absolute, entry.name), { throwIfNoEntry: false });
      await breathe();
      if (!stats) continue;
      if (stats.isDirectory()) {
        const sub = await visit(rel, innerRel);
        complete &&= sub.complete;
        sources.push(...sub.sources);
      } else if (stats.isFile() && match(innerRel)) {
        result.files.push({ path: rel, size: stats.size, mtimeMs: Math.trunc(stats.mtimeMs) });
        sources.push(rel);
      } else complete = false;
    }
    return complete ? { complete, sources: sources.length ? [relative] : [] } : { complete, sources };
  }

  result.sources = (await visit(folder, '')).sources;
  return result;
}

/** Names that are safe on every host at a glance; anything else gets the full check. */
const PLAIN = /^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,199}$/;
const DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com\d|lpt\d)(\.|$)/i;

function nameProblem(name: string): string | undefined {
  if (PLAIN.test(name) && !name.endsWith('.') && !DEVICE.test(name)) return undefined;
  if (name.includes('\\')) return 'a backslash is a separator on Windows';
  const checked = checkRelative(name);
  return checked.ok ? undefined : checked.message;
}

function refusal(realVolume: string, rel: string, entry: Dirent): HandoffError | undefined {
  const problem = nameProblem(entry.name);
  if (problem) {
    return new HandoffError('PATH_UNSAFE', `Refused name ${JSON.stringify(rel)}: ${problem}`, {
      details: { path: rel },
      hint: 'Rename it so it is safe on Windows, macOS and Linux.',
    });
  }
  if (!entry.isSymbolicLink()) return undefined;
  let real: string | undefined;
  try {
    real = realpathSync(path.join(realVolume, rel));
  } catch {
    real = undefined;
  }
  if (real !== undefined && isInside(realVolume, real)) return undefined;
  return new HandoffError('PATH_OUTSIDE_ROOT', `Refused ${JSON.stringify(rel)}: it links outside the volume`, {
    details: { path: rel, resolved: real },
    hint: 'Copy the files into the volume instead of linking to them.',
  });
}
