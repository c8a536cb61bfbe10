import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../../lib/core/errors.ts';
import { FrameSet } from '../../../../lib/core/sequences/index.ts';

const frames = (text: string): number[] => [...FrameSet.parse(text)];

describe('FrameSet.parse', () => {
  it('reads single frames, ranges, steps, fills, staggers and unions', () => {
    expect(frames('1001-1005')).toEqual([1001, 1002, 1003, 1004, 1005]);
    expect(frames('1-10x2')).toEqual([1, 3, 5, 7, 9]);
    expect(frames('1-10y3')).toEqual([2, 3, 5, 6, 8, 9]);
    expect(frames('1-5:2')).toEqual([1, 2, 3, 4, 5]);
    expect(frames('1,3,5-9')).toEqual([1, 3, 5, 6, 7, 8, 9]);
    expect(frames(' 5 , 1-2 ,2')).toEqual([1, 2, 5]);
    expect(frames('')).toEqual([]);
  });

  it('reads negative and reversed ranges', () => {
    expect(frames('-5--1')).toEqual([-5, -4, -3, -2, -1]);
    expect(frames('-2-2')).toEqual([-2, -1, 0, 1, 2]);
    expect(frames('10-1x3')).toEqual([1, 4, 7, 10]);
  });

  it.each(['1-', 'a-b', '1-10x0', '1--', '1.5', '1-10x2x3', '1-2000000000', '1,,2', '0-99999999'])('refuses %j', (text) => {
    try {
      FrameSet.parse(text);
      expect.unreachable();
    } catch (err) {
      expect(isHandoffError(err, 'FRAMESET_INVALID')).toBe(true);
    }
  });
});

describe('FrameSet formatting', () => {
  it('compacts with steps', () => {
    expect(FrameSet.from([1001, 1002, 1003, 1005, 1007, 1009, 1100]).toString()).toBe('1001-1003,1005-1009x2,1100');
    expect(FrameSet.from([1, 3]).toString()).toBe('1,3');
    expect(FrameSet.from([-3, -2, -1]).toString()).toBe('-3--1');
    expect(FrameSet.empty.toString()).toBe('');
  });

  it('describes plain ranges for people', () => {
    expect(FrameSet.from([1007, 1008, 1009, 1050]).describe()).toBe('1007-1009, 1050');
  });

  it('round-trips any set through its notation', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -2000, max: 5000 }), { maxLength: 200 }), (list) => {
        const set = FrameSet.from(list);
        expect(FrameSet.parse(set.toString()).equals(set)).toBe(true);
        expect([...set]).toEqual([...new Set(list)].sort((a, b) => a - b));
      }),
    );
  });
});

describe('FrameSet holes', () => {
  const set = FrameSet.parse('1001-1006,1010-1049,1051-1100');

  it('lists missing frames within its bounds or a given range', () => {
    expect(set.missing().describe()).toBe('1007-1009, 1050');
    expect(set.missing(995, 1102).describe()).toBe('995-1000, 1007-1009, 1050, 1101-1102');
    expect(set.isComplete()).toBe(false);
    expect(FrameSet.parse('1001-1100').isComplete(1001, 1100)).toBe(true);
    expect(FrameSet.parse('1001-1100').isComplete(1000, 1100)).toBe(false);
    expect(FrameSet.empty.isComplete()).toBe(false);
  });

  it('answers membership', () => {
    expect(set.has(1050)).toBe(false);
    expect(set.has(1051)).toBe(true);
    expect(set.size).toBe(96);
    expect([set.first, set.last]).toEqual([1001, 1100]);
  });
});
