/**
 * "Did you mean": the known name closest to a misspelt one, for hints. Close
 * means an edit distance of at most a third of the name (at least 2), so a
 * suggestion is a likely typo, never a guess.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from './errors.ts';

/** Levenshtein distance, case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, i) => i);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[y.length]!;
}

/** The candidate closest to `name`, when it is close enough to be a typo. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(name.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance <= limit && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

/** ` Did you mean "x"?` or an empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = closest(name, candidates);
  return match ? ` Did you mean ${JSON.stringify(match)}?` : '';
}

/**
 * Refuses folders that do not exist, naming the folder it looked in and the
 * closest existing name; `where` says what that folder is ("the agent root").
 */
export async function requireFolders(folders: string[], where: string): Promise<void> {
  for (const folder of folders) {
    const parent = path.dirname(folder);
    const entries = await readdir(parent, { withFileTypes: true }).catch(() => undefined);
    const names = (entries ?? []).filter((e) => e.isDirectory()).map((e) => e.name);
    if (names.includes(path.basename(folder))) continue;
    throw new HandoffError('FOLDER_NOT_FOUND', `No folder ${JSON.stringify(path.basename(folder))} in ${where} ${parent}.${didYouMean(path.basename(folder), names)}`, {
      details: { folder, parent },
      hint: entries ? `Give the name of a result folder in ${parent}.` : `The folder ${parent} itself does not exist: check the path.`,
    });
  }
}
