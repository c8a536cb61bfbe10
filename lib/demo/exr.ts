/**
 * A tiny OpenEXR writer for the demo's generated frames: scanline,
 * uncompressed, half-float RGB. Enough for image readers and ffmpeg.
 */
const MAGIC = Buffer.from([0x76, 0x2f, 0x31, 0x01, 2, 0, 0, 0]);

const floatView = new Float32Array(1);
const bitsView = new Uint32Array(floatView.buffer);

/** IEEE half from a float (values are clamped to what a frame needs: 0..65504). */
export function toHalf(value: number): number {
  floatView[0] = value;
  const bits = bitsView[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = ((bits >>> 23) & 0xff) - 112;
  if (exponent <= 0) return sign;
  if (exponent >= 31) return sign | 0x7c00;
  return sign | (exponent << 10) | ((bits >>> 13) & 0x3ff);
}

const int32s = (...values: number[]): Buffer => {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeInt32LE(v, i * 4));
  return out;
};
const float32s = (...values: number[]): Buffer => Buffer.from(new Float32Array(values).buffer);
const attribute = (name: string, type: string, value: Buffer): Buffer => Buffer.concat([Buffer.from(`${name}\0${type}\0`, 'latin1'), int32s(value.length), value]);

function header(width: number, height: number): Buffer {
  // Channels are stored in alphabetical order: B, G, R (HALF = 1, sampling 1x1).
  const channel = (name: string) => Buffer.concat([Buffer.from(`${name}\0`), int32s(1), Buffer.alloc(4), int32s(1, 1)]);
  return Buffer.concat([
    MAGIC,
    attribute('channels', 'chlist', Buffer.concat([channel('B'), channel('G'), channel('R'), Buffer.from([0])])),
    attribute('compression', 'compression', Buffer.from([0])),
    attribute('dataWindow', 'box2i', int32s(0, 0, width - 1, height - 1)),
    attribute('displayWindow', 'box2i', int32s(0, 0, width - 1, height - 1)),
    attribute('lineOrder', 'lineOrder', Buffer.from([0])),
    attribute('pixelAspectRatio', 'float', float32s(1)),
    attribute('screenWindowCenter', 'v2f', float32s(0, 0)),
    attribute('screenWindowWidth', 'float', float32s(1)),
    Buffer.from([0]),
  ]);
}

/** Linear RGB of a pixel. */
export type Shader = (x: number, y: number) => readonly [number, number, number];

export function encodeExr(width: number, height: number, shade: Shader): Buffer {
  const head = header(width, height);
  const lineBytes = width * 3 * 2;
  const blockBytes = 8 + lineBytes;
  const table = Buffer.alloc(height * 8);
  const blocks = Buffer.alloc(height * blockBytes);
  const first = head.length + table.length;
  for (let y = 0; y < height; y++) {
    table.writeBigUInt64LE(BigInt(first + y * blockBytes), y * 8);
    const at = y * blockBytes;
    blocks.writeInt32LE(y, at);
    blocks.writeInt32LE(lineBytes, at + 4);
    for (let x = 0; x < width; x++) {
      const [r, g, b] = shade(x, y);
      blocks.writeUInt16LE(toHalf(b), at + 8 + x * 2);
      blocks.writeUInt16LE(toHalf(g), at + 8 + (width + x) * 2);
      blocks.writeUInt16LE(toHalf(r), at + 8 + (2 * width + x) * 2);
    }
  }
  return Buffer.concat([head, table, blocks]);
}
