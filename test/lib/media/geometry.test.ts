import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitWithin } from '../../../lib/media/index.ts';

describe('fitWithin', () => {
  it('keeps sizes that fit, and never enlarges', () => {
    expect(fitWithin({ width: 64, height: 36 }, { width: 1920, height: 1080 })).toEqual({ width: 64, height: 36 });
    expect(fitWithin({ width: 4096, height: 2160 }, { width: 1920, height: 1080 }, { even: true })).toEqual({ width: 1920, height: 1012 });
    expect(fitWithin({ width: 130, height: 74 }, { width: 65, height: 65 }, { even: true })).toEqual({ width: 64, height: 36 });
    expect(fitWithin({ width: 2048, height: 858 }, { width: 512, height: 512 })).toEqual({ width: 512, height: 215 });
  });

  it('always lands inside the box with even sides and close to the aspect ratio', () => {
    const side = fc.integer({ min: 2, max: 8192 });
    fc.assert(fc.property(side, side, side, side, (w, h, mw, mh) => {
      const out = fitWithin({ width: w, height: h }, { width: mw, height: mh }, { even: true });
      expect(out.width % 2 + out.height % 2).toBe(0);
      expect(out.width).toBeLessThanOrEqual(Math.max(2, mw));
      expect(out.height).toBeLessThanOrEqual(Math.max(2, mh));
      expect(out.width).toBeLessThanOrEqual(w + 1);
      expect(out.height).toBeLessThanOrEqual(h + 1);
    }));
  });
});
