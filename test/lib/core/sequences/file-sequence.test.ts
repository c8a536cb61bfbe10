import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findSequences, formatPadding, padFrame, parsePadding, parseSequence } from '../../../../lib/core/sequences/index.ts';
import type { PaddingStyle } from '../../../../lib/core/sequences/index.ts';

describe('padding notations', () => {
  it.each([
    ['#', 4],
    ['####', 4],
    ['##', 2],
    ['@', 1],
    ['@@@', 3],
    ['%04d', 4],
    ['%d', 1],
    ['$F4', 4],
    ['$F', 1],
  ])('%s is %i digits', (token, width) => {
    expect(parsePadding(token)).toBe(width);
  });

  it('refuses what is not padding', () => {
    expect(parsePadding('%4d')).toBeUndefined();
    expect(parsePadding('x')).toBeUndefined();
  });

  it('formats every width in every style so it reads back', () => {
    for (const style of ['#', '@', '%0Nd', '$F'] as PaddingStyle[]) {
      for (let width = 1; width <= 10; width++) expect(parsePadding(formatPadding(width, style))).toBe(width);
    }
  });

  it('pads frames with the sign counted in the width', () => {
    expect(padFrame(7, 4)).toBe('0007');
    expect(padFrame(12345, 4)).toBe('12345');
    expect(padFrame(-5, 4)).toBe('-005');
  });
});

describe('parseSequence', () => {
  it.each([
    ['plate.####.exr 1001-1100', 'plate.', 4, '.exr', '1001-1100'],
    ['plate.%04d.exr', 'plate.', 4, '.exr', ''],
    ['render/plate.$F3.exr 1-5', 'render/plate.', 3, '.exr', '1-5'],
    ['plate.1001-1100#.exr', 'plate.', 4, '.exr', '1001-1100'],
    ['plate.1-10x2@@.exr', 'plate.', 2, '.exr', '1-9x2'],
    ['comp_v001.#.exr', 'comp_v001.', 4, '.exr', ''],
  ])('%s', (text, head, padding, tail, frames) => {
    const seq = parseSequence(text);
    expect({ head: seq.head, padding: seq.padding, tail: seq.tail, frames: seq.frames.toString() }).toEqual({ head, padding, tail, frames });
  });

  it('refuses a name without padding', () => {
    expect(() => parseSequence('plate.1001.exr')).toThrow(expect.objectContaining({ code: 'SEQUENCE_PATTERN_INVALID' }));
  });

  it('round-trips detected sequences through their string form', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('plate.', 'comp_v002_', 'a/b/shot-'),
        fc.constantFrom('.exr', '.tar.gz', ''),
        fc.integer({ min: 1, max: 6 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 20000 }), { minLength: 1, maxLength: 50 }),
        (head, tail, padding, frames) => {
          const names = frames.map((f) => head + padFrame(f, padding) + tail);
          const { sequences, issues } = findSequences(names);
          expect(issues).toEqual([]);
          expect(sequences).toHaveLength(1);
          const again = parseSequence(String(sequences[0]));
          expect(again.files).toEqual([...sequences[0]!.files]);
        },
      ),
    );
  });

  it('round-trips negative frames after a dot, the sign counted in the padding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.uniqueArray(fc.integer({ min: -999, max: 999 }), { minLength: 1, maxLength: 40 }),
        (padding, frames) => {
          const names = frames.map((f) => `plate.${padFrame(f, padding)}.exr`);
          const { sequences, issues } = findSequences(names);
          expect(issues).toEqual([]);
          expect(sequences).toHaveLength(1);
          expect([...sequences[0]!.frames]).toEqual([...frames].sort((a, b) => a - b));
          for (const frame of frames) expect(names).toContain(sequences[0]!.path(frame));
        },
      ),
    );
  });
});
