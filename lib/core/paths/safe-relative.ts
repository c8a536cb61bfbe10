/**
 * Normalising and vetting a relative path that comes from outside (a vendor, a
 * config file, the other end of a transfer). Pure: never touches the disk.
 *
 * Paths are mirrored between HQ and vendors whose hosts may run Windows, macOS
 * or Linux, so a path is only safe when it is safe on all three.
 */
import { HandoffError } from '../errors.ts';

/** Why a path was refused; stable, found in `details.reason` of PATH_UNSAFE. */
export type UnsafeReason =
  | 'not-a-string'
  | 'empty'
  | 'absolute'
  | 'drive-letter'
  | 'unc'
  | 'parent-segment'
  | 'control-character'
  | 'invalid-unicode'
  | 'invalid-character'
  | 'reserved-name'
  | 'trailing-dot-or-space'
  | 'segment-too-long'
  | 'path-too-long';

export type RelativeCheck =
  | { ok: true; path: string }
  | { ok: false; reason: UnsafeReason; message: string; segment?: string };

export const MAX_SEGMENT_BYTES = 255;
export const MAX_PATH_BYTES = 4096;

/** Characters Windows refuses in a file name (`:` would also open an alternate data stream). */
const WINDOWS_INVALID = /[<>:"|?*]/;
/** A UTF-16 surrogate that is not half of a pair cannot be written as UTF-8. */
const LONE_SURROGATE = /\p{Cs}/u;
/** Device names Windows reserves in every folder, with any extension. */
const RESERVED = /^(con|prn|aux|nul|conin\$|conout\$|com[1-9¹²³]|lpt[1-9¹²³])$/i;

/** Vets `input` without throwing: the normalised path, or why it is refused. */
export function checkRelative(input: unknown): RelativeCheck {
  if (typeof input !== 'string') return refusal('not-a-string', 'the path is not text');
  if (LONE_SURROGATE.test(input)) return refusal('invalid-unicode', 'it contains a broken unicode character');
  const text = input.normalize('NFC').replace(/\\/g, '/');
  if (text.startsWith('//')) return refusal('unc', 'it is a network (UNC) path');
  if (text.startsWith('/')) return refusal('absolute', 'it is absolute');
  if (/^[a-zA-Z]:/.test(text)) return refusal('drive-letter', 'it starts with a drive letter');
  const parts = text.split('/').filter((part) => part !== '' && part !== '.');
  if (parts.length === 0) return refusal('empty', 'it is empty');
  for (const part of parts) {
    const problem = checkSegment(part);
    if (problem) return { ...problem, segment: part };
  }
  const path = parts.join('/');
  if (Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES) {
    return refusal('path-too-long', `it is longer than ${MAX_PATH_BYTES} bytes`);
  }
  return { ok: true, path };
}

/** One segment (a folder or file name) of an already split path. */
function checkSegment(part: string): Extract<RelativeCheck, { ok: false }> | undefined {
  if (part === '..') return refusal('parent-segment', 'it contains a ".." segment');
  if (hasControlCharacter(part)) return refusal('control-character', `"${printable(part)}" contains a control character`);
  if (WINDOWS_INVALID.test(part)) {
    return refusal('invalid-character', `"${part}" contains one of < > : " | ? * which Windows refuses`);
  }
  if (RESERVED.test(part.split('.')[0]!.trimEnd())) {
    return refusal('reserved-name', `"${part}" is a device name Windows reserves`);
  }
  if (/[. ]$/.test(part)) {
    return refusal('trailing-dot-or-space', `"${part}" ends in a dot or space, which Windows drops`);
  }
  if (Buffer.byteLength(part, 'utf8') > MAX_SEGMENT_BYTES) {
    return refusal('segment-too-long', `a name is longer than ${MAX_SEGMENT_BYTES} bytes`);
  }
  return undefined;
}

/** A name of printable ASCII: NFC already, and no separator once backslashes are ruled out. */
const PLAIN_NAME = /^[\x20-\x2e\x30-\x5b\x5d-\x7e]+$/;

/**
 * What `toSafeRelative(dir + '/' + name)` gives, for a `dir` that is the safe
 * form of that path's folder and a plain name: only the name and the length
 * are checked, so a folder's thousands of files are not each vetted whole.
 * Undefined when the shortcut does not apply (a name that is not plain ASCII,
 * `.`, or refused): the caller then vets the whole path.
 */
export function joinSafeName(dir: string, name: string): string | undefined {
  if (!PLAIN_NAME.test(name) || name === '.' || checkSegment(name)) return undefined;
  const joined = dir === '' ? name : `${dir}/${name}`;
  return Buffer.byteLength(joined, 'utf8') > MAX_PATH_BYTES ? undefined : joined;
}

/**
 * Normalises a relative path from outside (NFC, `/` separators, no `.` or empty
 * segments) and refuses anything unsafe. Throws PATH_UNSAFE with `details.reason`.
 */
export function toSafeRelative(input: string): string {
  const result = checkRelative(input);
  if (result.ok) return result.path;
  throw new HandoffError('PATH_UNSAFE', `Refused path ${JSON.stringify(input)}: ${result.message}`, {
    details: { path: input, reason: result.reason, ...(result.segment ? { segment: result.segment } : {}) },
    hint: 'Use a relative path inside the share: no "..", drive letters, device names, control characters or names ending in a dot or space.',
  });
}

function refusal(reason: UnsafeReason, message: string): Extract<RelativeCheck, { ok: false }> {
  return { ok: false, reason, message };
}

/**
 * C0 and C1 control characters, DEL included, and the bidirectional overrides
 * that make a name display differently from what it is (`exe.txt` shown for `txt.exe`).
 */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
    if ((code >= 0x202a && code <= 0x202e) || (code >= 0x2066 && code <= 0x2069)) return true;
  }
  return false;
}

function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
