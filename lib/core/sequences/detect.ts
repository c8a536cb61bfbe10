/**
 * Grouping a folder listing into file sequences. The frame is the last digit
 * run right before the extension (`comp_v001.1001.exr` → 1001); a digit run
 * right after a `v` that starts a word is a version, never a frame. A name with
 * no frame is a single file; a lone framed name is a sequence of one frame.
 */
import { FileSequence } from './file-sequence.ts';
import { FrameSet } from './frame-set.ts';

export interface FrameName {
  head: string;
  /** The frame digits as written, sign included (`0998`, `-005`). */
  digits: string;
  frame: number;
  tail: string;
}

export type SequenceIssue = {
  code: 'INCONSISTENT_PADDING';
  message: string;
  head: string;
  tail: string;
  paddings: number[];
};

export interface DetectResult {
  sequences: FileSequence[];
  /** Names without a frame, and framed names in groups below `minFrames`. */
  singles: string[];
  issues: SequenceIssue[];
}

export interface DetectOptions {
  /** Groups with fewer frames are listed as singles. Default 1. */
  minFrames?: number;
}

const MAX_FRAME_DIGITS = 9;

/** Where the frame sits in the last scanned name; reused to avoid an object per name. */
const scan = { start: 0, end: 0, frame: 0 };

/** Finds the frame digits of `name` into `scan`; false when it has none. */
function scanFrame(name: string): boolean {
  const base = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1;
  let end = name.length;
  for (;;) {
    const dot = name.lastIndexOf('.', end - 1);
    if (dot < base || !isExtensionPart(name, dot + 1, end)) break;
    end = dot;
  }
  let start = end;
  while (start > base && isDigit(name.charCodeAt(start - 1))) start--;
  if (start === end || end - start > MAX_FRAME_DIGITS) return false;
  const before = name.charCodeAt(start - 1);
  if ((before === 118 || before === 86) && (start - 1 === base || !isAlphanumeric(name.charCodeAt(start - 2)))) {
    return false;
  }
  let frame = 0;
  for (let i = start; i < end; i++) frame = frame * 10 + (name.charCodeAt(i) - 48);
  if (before === 45 && start - 2 >= base && name.charCodeAt(start - 2) === 46) {
    start--;
    frame = -frame;
  }
  scan.start = start;
  scan.end = end;
  scan.frame = frame;
  return true;
}

/** Splits a name into head, frame and tail, or undefined when it has no frame. */
export function splitFrameName(name: string): FrameName | undefined {
  if (!scanFrame(name)) return undefined;
  const { start, end, frame } = scan;
  return { head: name.slice(0, start), digits: name.slice(start, end), frame, tail: name.slice(end) };
}

interface Member {
  name: string;
  frame: number;
  width: number;
  /** Written with leading zeros, so the padding is exactly `width`. */
  exact: boolean;
}

interface Group {
  head: string;
  tail: string;
  members: Member[];
}

/** Groups names into sequences (by head and tail) and single files. */
export function findSequences(names: Iterable<string>, options: DetectOptions = {}): DetectResult {
  const minFrames = options.minFrames ?? 1;
  const byHead = new Map<string, Map<string, Group>>();
  const singles: string[] = [];
  let last: Group | undefined;
  for (const name of names) {
    if (!scanFrame(name)) {
      singles.push(name);
      continue;
    }
    const { start, end, frame } = scan;
    let group = last;
    if (!group || !sameGroup(group, name, start, end)) {
      const head = name.slice(0, start);
      const tail = name.slice(end);
      let byTail = byHead.get(head);
      if (!byTail) byHead.set(head, (byTail = new Map()));
      group = byTail.get(tail);
      if (!group) byTail.set(tail, (group = { head, tail, members: [] }));
      last = group;
    }
    const width = end - start;
    const firstDigit = name.charCodeAt(frame < 0 ? start + 1 : start);
    group.members.push({ name, frame, width, exact: firstDigit === 48 && width > (frame < 0 ? 2 : 1) });
  }
  const sequences: FileSequence[] = [];
  const issues: SequenceIssue[] = [];
  for (const byTail of byHead.values()) {
    for (const group of byTail.values()) collect(group, minFrames, sequences, singles, issues);
  }
  sequences.sort((a, b) => compare(a.head + a.tail, b.head + b.tail) || a.padding - b.padding);
  return { sequences, singles: [...new Set(singles)].sort(compare), issues };
}

/** Listings come grouped by folder and name, so most names join the group before them. */
function sameGroup(group: Group, name: string, start: number, end: number): boolean {
  return (
    start === group.head.length &&
    name.length - end === group.tail.length &&
    name.startsWith(group.head) &&
    name.endsWith(group.tail)
  );
}

function collect(group: Group, minFrames: number, sequences: FileSequence[], singles: string[], issues: SequenceIssue[]): void {
  const { head, tail } = group;
  const parts = splitByPadding(group.members);
  if (parts.length > 1) {
    const paddings = parts.map((part) => part.padding);
    issues.push({
      code: 'INCONSISTENT_PADDING',
      message: `${head}*${tail} mixes frame paddings ${paddings.join(', ')}; write every frame with the same number of digits`,
      head,
      tail,
      paddings,
    });
  }
  for (const { padding, members } of parts) {
    const list = sortedUnique(members);
    if (list.length < minFrames) {
      for (const member of list) singles.push(member.name);
      continue;
    }
    const frames = FrameSet.fromSorted(list.map((member) => member.frame));
    sequences.push(new FileSequence({ head, tail, padding, frames, files: list.map((member) => member.name) }));
  }
}

/** Members in frame order; a repeated name (same frame, same padding) is kept once. */
function sortedUnique(members: Member[]): Member[] {
  let sorted = true;
  for (let i = 1; i < members.length && sorted; i++) sorted = members[i - 1]!.frame < members[i]!.frame;
  if (sorted) return members;
  members.sort((a, b) => a.frame - b.frame);
  return members.filter((member, i) => i === 0 || member.frame !== members[i - 1]!.frame);
}

/**
 * One part when the padding is consistent: zero-padded frames fix it exactly;
 * unpadded frames may be wider (1000 with padding 3) but never narrower.
 */
function splitByPadding(members: Member[]): { padding: number; members: Member[] }[] {
  const exactWidths = [...new Set(members.filter((m) => m.exact).map((m) => m.width))].sort((a, b) => a - b);
  const minLoose = Math.min(...members.filter((m) => !m.exact).map((m) => m.width));
  if (exactWidths.length === 0) return [{ padding: minLoose, members }];
  if (exactWidths.length === 1 && exactWidths[0]! <= minLoose) return [{ padding: exactWidths[0]!, members }];
  const parts = new Map<number, Member[]>();
  const narrow: Member[] = [];
  for (const member of members) {
    const padding = member.exact ? member.width : exactWidths.findLast((width) => width <= member.width);
    if (padding === undefined) narrow.push(member);
    else if (parts.has(padding)) parts.get(padding)!.push(member);
    else parts.set(padding, [member]);
  }
  const result = [...parts].map(([padding, list]) => ({ padding, members: list }));
  if (narrow.length > 0) result.push({ padding: Math.min(...narrow.map((m) => m.width)), members: narrow });
  return result.sort((a, b) => a.padding - b.padding);
}

/** `.exr`, `.gz`, `.bgeo`: word characters with at least one letter. */
function isExtensionPart(name: string, from: number, to: number): boolean {
  if (from >= to) return false;
  let letter = false;
  for (let i = from; i < to; i++) {
    const c = name.charCodeAt(i);
    if (isLetter(c)) letter = true;
    else if (!isDigit(c) && c !== 95) return false;
  }
  return letter;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAlphanumeric(c: number): boolean {
  return isDigit(c) || isLetter(c);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
