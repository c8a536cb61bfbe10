/**
 * File names on the wire. A name travels and lands as it is on disk: macOS
 * writes names decomposed (NFD), Linux and Windows mostly composed (NFC), and a
 * name that changed form on the way would be another file to the vendor's
 * tools. Paths are vetted in NFC (lib/core/paths) but kept in their own form.
 * Two names of one delivery that differ only in form would be one file on a
 * normalisation-insensitive disk (macOS, Windows): the first in byte order is
 * delivered, the other fails with TRANSFER_NAME_CLASH. Hidden names written
 * beside a file (partial, set aside) always fit in a 255-byte name.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { HandoffError } from '../../core/errors.ts';
import { checkRelative, toSafeRelative } from '../../core/paths/index.ts';
import type { FilePlan } from '../transport.ts';

/** A relative path vetted like `toSafeRelative`, in its own Unicode form (separators and `.` segments cleaned). */
export function keepForm(relative: string): string {
  const kept = keepFormOrUndefined(relative);
  return kept ?? toSafeRelative(relative); // throws PATH_UNSAFE with the reason
}

export function keepFormOrUndefined(relative: string): string | undefined {
  if (!checkRelative(relative).ok) return undefined;
  return relative
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}

const NAME_MAX = 255;
const PARTIAL_SUFFIX = '.handoff-partial';

/** The hidden name a file is written under until it is verified; a long name gets a short hash instead. */
export function partialPath(final: string): string {
  const cut = Math.max(final.lastIndexOf('/'), final.lastIndexOf(path.sep)) + 1;
  const name = final.slice(cut);
  const hidden = Buffer.byteLength(name) + PARTIAL_SUFFIX.length + 1 <= NAME_MAX ? name : shortHash(name);
  return `${final.slice(0, cut)}.${hidden}${PARTIAL_SUFFIX}`;
}

/** Where a vendor's own version of `name` is set aside: `<stem>.vendor-<UTC stamp><ext>`, shortened to fit. */
export function asideName(name: string, at: Date, attempt = 0): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const tag = `.vendor-${stamp}${attempt ? `-${attempt}` : ''}`;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  let stem = name.slice(0, name.length - ext.length);
  while (Buffer.byteLength(stem + tag + ext) > NAME_MAX) stem = [...stem].slice(0, -1).join('');
  return `${stem}${tag}${ext}`;
}

function shortHash(name: string): string {
  return `h-${createHash('sha256').update(name).digest('hex').slice(0, 24)}`;
}

/**
 * Splits a delivery's files into those that go and those whose destination is
 * another one's in a different Unicode form (the later ones in byte order).
 */
export function splitClashes(files: FilePlan[]): { files: FilePlan[]; clashes: { file: FilePlan; error: HandoffError }[] } {
  const seen = new Map<string, FilePlan>();
  const clashes: { file: FilePlan; error: HandoffError }[] = [];
  const kept: FilePlan[] = [];
  const ordered = files.some((file) => /[^\u0020-\u007e]/u.test(file.destination)) ? [...files].sort((a, b) => Buffer.compare(Buffer.from(a.destination), Buffer.from(b.destination))) : files;
  if (ordered === files) return { files, clashes };
  for (const file of ordered) {
    const key = `${file.taskId}\0${file.destination.normalize('NFC')}`;
    const first = seen.get(key);
    if (!first) {
      seen.set(key, file);
      kept.push(file);
      continue;
    }
    clashes.push({
      file,
      error: new HandoffError('TRANSFER_NAME_CLASH', `${file.destination} and ${first.destination} are one name in two Unicode forms`, {
        details: { path: file.destination, other: first.destination },
        hint: 'Rename one of the two files at the source (macOS and Windows would see them as one file); the other was delivered.',
      }),
    });
  }
  return { files: kept, clashes };
}
