import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameReader, MAX_BODY, encodeHead } from '../../../../lib/transfer/wire/frames.ts';
import type { Frame } from '../../../../lib/transfer/wire/frames.ts';

function encode(frame: Frame): Buffer {
  const body = frame.body ?? Buffer.alloc(0);
  return Buffer.concat([encodeHead(frame.head, body.length), body]);
}

describe('FrameReader', () => {
  it('decodes any sequence of frames however the bytes are split', () => {
    const frameArb = fc.record({
      head: fc.record({ t: fc.string({ minLength: 1, maxLength: 5 }), n: fc.integer(), s: fc.string({ maxLength: 40 }) }),
      body: fc.option(fc.uint8Array({ minLength: 1, maxLength: 3000 }).map((bytes) => Buffer.from(bytes)), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(frameArb, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 30 }), (frames, cuts) => {
        const wire = Buffer.concat(frames.map((frame) => encode(frame as Frame)));
        const reader = new FrameReader();
        const decoded: Frame[] = [];
        let offset = 0;
        for (let i = 0; offset < wire.length; i++) {
          const size = cuts[i % cuts.length]!;
          decoded.push(...reader.push(wire.subarray(offset, offset + size)));
          offset += size;
        }
        expect(decoded.map((frame) => frame.head)).toEqual(frames.map((frame) => frame.head));
        expect(decoded.map((frame) => frame.body?.toString('hex'))).toEqual(frames.map((frame) => frame.body?.toString('hex')));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps no reference to what it is fed, so a socket can read every record into one reused buffer', () => {
    const frames: Frame[] = [
      { head: { t: 'batch', files: Array.from({ length: 40 }, (_, at) => `shot_${at}.exr`) }, body: Buffer.alloc(5000, 7) },
      { head: { t: 'ack', n: 1 }, body: undefined },
      { head: { t: 'chunk', i: 2 }, body: Buffer.from('frame bytes') },
    ];
    const wire = Buffer.concat(frames.map(encode));
    const reused = Buffer.alloc(7);
    const reader = new FrameReader();
    const decoded: Frame[] = [];
    for (let offset = 0; offset < wire.length; offset += reused.length) {
      const bytes = wire.copy(reused, 0, offset, offset + reused.length);
      decoded.push(...reader.push(reused.subarray(0, bytes)));
      reused.fill(0xee);
    }
    expect(decoded.map((frame) => frame.head)).toEqual(frames.map((frame) => frame.head));
    expect(decoded.map((frame) => frame.body?.toString('hex'))).toEqual(frames.map((frame) => frame.body?.toString('hex')));
  });

  it('refuses oversized bodies, empty heads and heads that are not typed JSON', () => {
    const header = (headLength: number, bodyLength: number): Buffer => {
      const out = Buffer.alloc(8);
      out.writeUInt32BE(headLength, 0);
      out.writeUInt32BE(bodyLength, 4);
      return out;
    };
    expect(() => new FrameReader().push(header(2, MAX_BODY + 1))).toThrow(expect.objectContaining({ code: 'WIRE_PROTOCOL' }));
    expect(() => new FrameReader().push(header(0, 0))).toThrow(expect.objectContaining({ code: 'WIRE_PROTOCOL' }));
    expect(() => new FrameReader().push(Buffer.concat([header(3, 0), Buffer.from('{x}')]))).toThrow(/not JSON/);
    expect(() => new FrameReader().push(Buffer.concat([header(2, 0), Buffer.from('{}')]))).toThrow(/without a type/);
  });
});
