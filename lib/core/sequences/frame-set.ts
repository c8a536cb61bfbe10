/**
 * Frame sets: which frames of a sequence exist, as a sorted set of integers,
 * with the fileseq range notation (`1001-1100`, `1-100x2`, `1,3,5-9`, `-5--1`).
 */
import { HandoffError } from '../errors.ts';

/** Largest set a range expression may expand to; guards against `1-999999999`. */
export const MAX_FRAMES = 10_000_000;

const CHUNK = /^(-?\d{1,9})(?:-(-?\d{1,9})(?:([xy:])(\d{1,9}))?)?$/;

export class FrameSet implements Iterable<number> {
  /** Sorted ascending, no duplicates. */
  readonly frames: readonly number[];

  private constructor(sorted: readonly number[]) {
    this.frames = sorted;
  }

  static readonly empty = new FrameSet([]);

  /** Any integers, in any order, duplicates allowed. */
  static from(frames: Iterable<number>): FrameSet {
    const list = [...frames];
    for (const frame of list) {
      if (!Number.isSafeInteger(frame)) throw invalid(String(frame), 'frames are whole numbers');
    }
    list.sort((a, b) => a - b);
    return new FrameSet(list.filter((frame, i) => i === 0 || frame !== list[i - 1]));
  }

  /** Trusted input: already sorted ascending without duplicates. */
  static fromSorted(frames: readonly number[]): FrameSet {
    return new FrameSet(frames);
  }

  /** Inclusive range; `step` > 0 counts from `start` towards `end`. */
  static range(start: number, end: number, step = 1): FrameSet {
    return FrameSet.from(expand(start, end, step, `${start}-${end}x${step}`));
  }

  /**
   * Parses the range notation: comma-separated chunks of `N`, `A-B`, `A-BxS`
   * (every S-th frame), `A-ByS` (the frames `x` leaves out) or `A-B:S` (stagger,
   * as a set the whole range). Empty text is the empty set. Throws FRAMESET_INVALID.
   */
  static parse(text: string): FrameSet {
    const frames: number[] = [];
    const trimmed = text.trim();
    if (trimmed === '') return FrameSet.empty;
    for (const raw of trimmed.split(',')) {
      const chunk = raw.trim();
      const match = CHUNK.exec(chunk);
      if (!match) throw invalid(text, `"${chunk}" is not a frame, a range like 1001-1100 or a stepped range like 1-100x2`);
      const start = Number(match[1]);
      const end = match[2] === undefined ? start : Number(match[2]);
      const step = match[4] === undefined ? 1 : Number(match[4]);
      if (step === 0) throw invalid(text, `"${chunk}" has a step of 0`);
      const mode = match[3];
      if (mode === 'y') {
        const skipped = new Set(expand(start, end, step, text));
        for (const frame of expand(start, end, 1, text)) if (!skipped.has(frame)) frames.push(frame);
      } else {
        for (const frame of expand(start, end, mode === ':' ? 1 : step, text)) frames.push(frame);
      }
      if (frames.length > MAX_FRAMES) throw invalid(text, `it has more than ${MAX_FRAMES} frames`);
    }
    return FrameSet.from(frames);
  }

  get size(): number {
    return this.frames.length;
  }

  get first(): number | undefined {
    return this.frames[0];
  }

  get last(): number | undefined {
    return this.frames[this.frames.length - 1];
  }

  [Symbol.iterator](): Iterator<number> {
    return this.frames[Symbol.iterator]();
  }

  has(frame: number): boolean {
    let lo = 0;
    let hi = this.frames.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const value = this.frames[mid]!;
      if (value === frame) return true;
      if (value < frame) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Frames from `start` to `end` (default: this set's own bounds) that are not in the set. */
  missing(start = this.first, end = this.last): FrameSet {
    if (start === undefined || end === undefined || end < start) return FrameSet.empty;
    if (end - start + 1 > MAX_FRAMES) throw invalid(`${start}-${end}`, `it has more than ${MAX_FRAMES} frames`);
    const out: number[] = [];
    let i = 0;
    while (i < this.frames.length && this.frames[i]! < start) i++;
    for (let frame = start; frame <= end; frame++) {
      if (this.frames[i] === frame) i++;
      else out.push(frame);
    }
    return new FrameSet(out);
  }

  /** True when the set is not empty and has every frame from `start` to `end` (default: own bounds). */
  isComplete(start = this.first, end = this.last): boolean {
    return this.size > 0 && this.missing(start, end).size === 0;
  }

  union(other: FrameSet): FrameSet {
    return FrameSet.from([...this.frames, ...other.frames]);
  }

  equals(other: FrameSet): boolean {
    return this.size === other.size && this.frames.every((frame, i) => frame === other.frames[i]);
  }

  /** Compact notation that `parse` reads back, with steps: `1001-1003,1005-1009x2,1100`. */
  toString(): string {
    const parts: string[] = [];
    const f = this.frames;
    let i = 0;
    while (i < f.length) {
      const start = f[i]!;
      if (i + 1 >= f.length) {
        parts.push(String(start));
        break;
      }
      const step = f[i + 1]! - start;
      let j = i + 1;
      while (j + 1 < f.length && f[j + 1]! - f[j]! === step) j++;
      if (step === 1 || j - i >= 2) {
        parts.push(`${start}-${f[j]}${step === 1 ? '' : `x${step}`}`);
        i = j + 1;
      } else {
        parts.push(String(start));
        i++;
      }
    }
    return parts.join(',');
  }

  /** For people: plain ranges joined by ", ", e.g. `1007-1009, 1050`. */
  describe(): string {
    const parts: string[] = [];
    const f = this.frames;
    let i = 0;
    while (i < f.length) {
      let j = i;
      while (j + 1 < f.length && f[j + 1] === f[j]! + 1) j++;
      parts.push(i === j ? String(f[i]) : `${f[i]}-${f[j]}`);
      i = j + 1;
    }
    return parts.join(', ');
  }
}

function expand(start: number, end: number, step: number, text: string): number[] {
  if (!Number.isSafeInteger(step) || step <= 0) throw invalid(text, 'the step must be a whole number above 0');
  const count = Math.floor(Math.abs(end - start) / step) + 1;
  if (count > MAX_FRAMES) throw invalid(text, `it has more than ${MAX_FRAMES} frames`);
  const direction = end >= start ? 1 : -1;
  return Array.from({ length: count }, (_, k) => start + direction * k * step);
}

function invalid(text: string, reason: string): HandoffError {
  return new HandoffError('FRAMESET_INVALID', `Frame range ${JSON.stringify(text)} is not valid: ${reason}`, {
    details: { text, reason },
    hint: 'Write frames as 1001-1100, 1-100x2 (every 2nd) or 1001,1003,1005-1010; negative frames as -5--1.',
  });
}
