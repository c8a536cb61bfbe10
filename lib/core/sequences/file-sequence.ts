/**
 * A file sequence: `head` + frame padded to `padding` digits + `tail`, e.g.
 * `plate.` + `1001` + `.exr`, with the frames that exist and their file names.
 */
import { HandoffError } from '../errors.ts';
import { FrameSet } from './frame-set.ts';
import { formatPadding, padFrame, PADDING_TOKEN, parsePadding } from './padding.ts';
import type { PaddingStyle } from './padding.ts';

export class FileSequence {
  readonly head: string;
  readonly tail: string;
  /** Minimum digits of a frame number (`1001` and `0998` are 4; frames may be wider). */
  readonly padding: number;
  readonly frames: FrameSet;
  /** One name per frame, in frame order. */
  readonly files: readonly string[];

  constructor(init: { head: string; tail: string; padding: number; frames: FrameSet; files?: readonly string[] }) {
    this.head = init.head;
    this.tail = init.tail;
    this.padding = init.padding;
    this.frames = init.frames;
    this.files = init.files ?? init.frames.frames.map((frame) => this.path(frame));
  }

  get start(): number | undefined {
    return this.frames.first;
  }

  get end(): number | undefined {
    return this.frames.last;
  }

  /** The name pattern: `plate.####.exr`, `plate.%04d.exr`, `plate.$F4.exr`, `plate.@@@@.exr`. */
  pattern(style: PaddingStyle = '#'): string {
    return this.head + formatPadding(this.padding, style) + this.tail;
  }

  /** The file name of one frame (`path(1001)` → `plate.1001.exr`). */
  path(frame: number): string {
    return this.head + padFrame(frame, this.padding) + this.tail;
  }

  /** Frames absent between `start` and `end` (default: first and last present). */
  missing(start?: number, end?: number): FrameSet {
    return this.frames.missing(start ?? this.start, end ?? this.end);
  }

  /** True when every frame from `start` to `end` (default: first to last) exists. */
  isComplete(start?: number, end?: number): boolean {
    return this.frames.isComplete(start ?? this.start, end ?? this.end);
  }

  /** `plate.####.exr 1001-1100`; `parseSequence` reads it back. */
  toString(): string {
    const frames = this.frames.toString();
    return frames ? `${this.pattern('#')} ${frames}` : this.pattern('#');
  }
}

/**
 * Reads a sequence written as `plate.####.exr 1001-1100`, `plate.%04d.exr`,
 * or fileseq's `plate.1001-1100#.exr`. The last padding token in the name is
 * the frame. Throws SEQUENCE_PATTERN_INVALID or FRAMESET_INVALID.
 */
export function parseSequence(text: string): FileSequence {
  let pattern = text.trim();
  let frames = FrameSet.empty;
  const spaced = /^(.*\S)\s+(-?\d[\d,\-xy:\s]*)$/.exec(pattern);
  if (spaced) {
    pattern = spaced[1]!;
    frames = FrameSet.parse(spaced[2]!);
  }
  const token = [...pattern.matchAll(PADDING_TOKEN)].pop();
  const width = token ? parsePadding(token[0]) : undefined;
  if (!token || width === undefined) {
    throw new HandoffError('SEQUENCE_PATTERN_INVALID', `${JSON.stringify(text)} has no frame padding such as #### or %04d`, {
      details: { text },
      hint: 'Write a sequence as plate.####.exr 1001-1100 (or %04d, $F4, @@@@ for the frame number).',
    });
  }
  let head = pattern.slice(0, token.index);
  const tail = pattern.slice(token.index + token[0].length);
  if (!spaced) {
    const inline = /(-?\d[\d,\-xy:]*)$/.exec(head);
    if (inline && /\d$/.test(inline[1]!)) {
      frames = FrameSet.parse(inline[1]!);
      head = head.slice(0, inline.index);
    }
  }
  return new FileSequence({ head, tail, padding: width, frames });
}
