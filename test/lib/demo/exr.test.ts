/** The demo's EXR writer: half floats bit-exact, headers the media probe reads, pixels where they belong. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeExr, toHalf } from '../../../lib/demo/exr.ts';
import { parseExrHeader } from '../../../lib/media/probe/exr-header.ts';

function fromHalf(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

describe('demo EXR frames', () => {
  it('encodes half floats exactly where a half can hold the value', () => {
    expect([0, 1, 0.5, 2, 0.25, -1].map(toHalf)).toEqual([0, 0x3c00, 0x3800, 0x4000, 0x3400, 0xbc00]);
    fc.assert(
      fc.property(fc.double({ min: 2 ** -14, max: 60_000, noNaN: true }), (value) => {
        expect(Math.abs(fromHalf(toHalf(value)) - value) / value).toBeLessThan(2 ** -10);
      }),
    );
  });

  it('writes a scanline RGB half image the media probe reads, with each pixel in its place', () => {
    const image = encodeExr(5, 3, (x, y) => [x / 4, y / 2, 0.5]);
    const { header } = parseExrHeader(image);
    expect(header).toMatchObject({ compression: 'none', channels: [{ name: 'B', pixelType: 'half' }, { name: 'G', pixelType: 'half' }, { name: 'R', pixelType: 'half' }] });
    expect(header.dataWindow).toEqual({ xMin: 0, yMin: 0, xMax: 4, yMax: 2 });
    // Last scanline block: y, byte count, then B, G, R rows of 5 halves.
    const block = image.subarray(image.length - (8 + 5 * 3 * 2));
    expect(block.readInt32LE(0)).toBe(2);
    const row = (c: number) => Array.from({ length: 5 }, (_, x) => fromHalf(block.readUInt16LE(8 + (c * 5 + x) * 2)));
    expect(row(0)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5]);
    expect(row(1)).toEqual([1, 1, 1, 1, 1]);
    expect(row(2)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });
});
