/**
 * Frame completeness of an image sequence on disk, for a pattern in any
 * notation lib/core/sequences reads (`plate.####.exr`, `plate.%04d.exr`,
 * `plate.$F4.exr`, `plate.@@@@.exr`). ffmpeg gets the printf form.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { formatPadding, padFrame, parseSequence } from '../core/sequences/index.ts';

export interface SequencePattern {
  dir: string;
  head: string;
  tail: string;
  /** Minimum digits of a frame number. */
  padding: number;
}

export interface FrameCheck {
  first: number;
  last: number;
  present: number[];
  missing: number[];
  /** Files that exist but are empty. */
  empty: number[];
}

export function isSequencePattern(file: string): boolean {
  try {
    parseSequence(path.basename(file));
    return true;
  } catch {
    return false;
  }
}

/** Splits a pattern path; throws SEQUENCE_PATTERN_INVALID when it has no frame token. */
export function parseSequencePattern(file: string): SequencePattern {
  const sequence = parseSequence(path.basename(file));
  return { dir: path.dirname(file), head: sequence.head, tail: sequence.tail, padding: sequence.padding };
}

export function framePath(pattern: SequencePattern, frame: number): string {
  return path.join(pattern.dir, pattern.head + padFrame(frame, pattern.padding) + pattern.tail);
}

/** The pattern in the printf form ffmpeg's image2 reader takes (`plate.%04d.exr`). */
export function printfPattern(pattern: SequencePattern): string {
  const literal = (text: string) => text.replace(/%/g, '%%');
  return path.join(pattern.dir, literal(pattern.head) + formatPadding(pattern.padding, '%0Nd') + literal(pattern.tail));
}

/** Frame numbers on disk named exactly as the pattern names them, ascending. */
export async function framesOnDisk(pattern: SequencePattern): Promise<number[]> {
  const names = await readdir(pattern.dir).catch((err: unknown) => {
    throw new HandoffError('MEDIA_INPUT_MISSING', `Cannot read folder ${pattern.dir}.`, {
      cause: err,
      hint: 'Check that the sequence folder exists and is readable.',
      details: { dir: pattern.dir },
    });
  });
  const frames: number[] = [];
  for (const name of names) {
    if (!name.startsWith(pattern.head) || !name.endsWith(pattern.tail)) continue;
    const digits = name.slice(pattern.head.length, name.length - pattern.tail.length);
    if (/^-?\d+$/.test(digits) && padFrame(Number(digits), pattern.padding) === digits) frames.push(Number(digits));
  }
  return frames.sort((a, b) => a - b);
}

/** Which frames of `first..last` exist, are missing, or are empty files. */
export async function checkFrames(pattern: SequencePattern, range?: { first: number; last: number }): Promise<FrameCheck> {
  const onDisk = await framesOnDisk(pattern);
  const first = range?.first ?? onDisk[0];
  const last = range?.last ?? onDisk[onDisk.length - 1];
  if (first === undefined || last === undefined) {
    throw new HandoffError('MEDIA_INPUT_MISSING', `No frames of ${path.join(pattern.dir, pattern.head + formatPadding(pattern.padding) + pattern.tail)} found.`, {
      hint: 'Check the folder and the frame pattern of the sequence.',
      details: { dir: pattern.dir, head: pattern.head, tail: pattern.tail },
    });
  }
  const found = new Set(onDisk);
  const check: FrameCheck = { first, last, present: [], missing: [], empty: [] };
  for (let frame = first; frame <= last; frame += 1) {
    if (!found.has(frame)) {
      check.missing.push(frame);
      continue;
    }
    const { size } = await stat(framePath(pattern, frame));
    (size === 0 ? check.empty : check.present).push(frame);
  }
  return check;
}
