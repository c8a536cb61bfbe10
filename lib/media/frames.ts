/**
 * Frame completeness for image sequences written as printf patterns
 * (`plate.%04d.exr`). Kept behind `checkFrames` so a shared sequence library
 * can replace it without touching callers.
 */
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';

export interface SequencePattern {
  dir: string;
  prefix: string;
  suffix: string;
  /** Minimum digit count (`%04d` → 4, `%d` → 0). */
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

const PRINTF = /%(0?(\d+))?d/;

export function isSequencePattern(file: string): boolean {
  return PRINTF.test(path.basename(file));
}

export function parseSequencePattern(file: string): SequencePattern {
  const base = path.basename(file);
  const match = PRINTF.exec(base);
  if (!match) {
    throw new HandoffError('MEDIA_SEQUENCE_PATTERN', `${file} is not a frame pattern such as plate.%04d.exr.`, {
      hint: 'Write the frame number as a printf field: %04d for four digits.',
      details: { path: file },
    });
  }
  return {
    dir: path.dirname(file),
    prefix: base.slice(0, match.index),
    suffix: base.slice(match.index + match[0].length),
    padding: Number(match[2] ?? 0),
  };
}

export function framePath(pattern: SequencePattern, frame: number): string {
  const digits = String(Math.abs(frame)).padStart(pattern.padding, '0');
  return path.join(pattern.dir, `${pattern.prefix}${frame < 0 ? '-' : ''}${digits}${pattern.suffix}`);
}

/** Frame numbers found on disk for a pattern, ascending. */
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
    if (!name.startsWith(pattern.prefix) || !name.endsWith(pattern.suffix)) continue;
    const digits = name.slice(pattern.prefix.length, name.length - pattern.suffix.length);
    if (/^-?\d+$/.test(digits) && digits.replace('-', '').length >= pattern.padding) frames.push(Number(digits));
  }
  return frames.sort((a, b) => a - b);
}

/** Which frames of `first..last` exist, are missing, or are empty files. */
export async function checkFrames(pattern: SequencePattern, range?: { first: number; last: number }): Promise<FrameCheck> {
  const onDisk = await framesOnDisk(pattern);
  const first = range?.first ?? onDisk[0];
  const last = range?.last ?? onDisk[onDisk.length - 1];
  if (first === undefined || last === undefined) {
    throw new HandoffError('MEDIA_INPUT_MISSING', `No frames match ${path.join(pattern.dir, pattern.prefix)}*${pattern.suffix}.`, {
      hint: 'Check the folder and the frame pattern of the sequence.',
      details: { dir: pattern.dir, prefix: pattern.prefix, suffix: pattern.suffix },
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
