/**
 * Reads an OpenEXR header without decoding pixels: windows, compression and
 * channels, plus a cheap completeness check (the last scanline chunk must end
 * inside the file; ffmpeg decodes truncated EXRs silently).
 */
import { open } from 'node:fs/promises';

export interface Box2i {
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface ExrHeader {
  dataWindow: Box2i;
  displayWindow: Box2i;
  compression: ExrCompression;
  channels: { name: string; pixelType: 'uint' | 'half' | 'float' }[];
  tiled: boolean;
  multipart: boolean;
  /** False when the chunk table points past the end of the file; undefined when not checked (tiled, multipart). */
  complete: boolean | undefined;
}

export const EXR_COMPRESSIONS = ['none', 'rle', 'zips', 'zip', 'piz', 'pxr24', 'b44', 'b44a', 'dwaa', 'dwab'] as const;
export type ExrCompression = (typeof EXR_COMPRESSIONS)[number] | 'unknown';

const LINES_PER_CHUNK: Record<ExrCompression, number> = {
  none: 1, rle: 1, zips: 1, zip: 16, pxr24: 16, piz: 32, b44: 32, b44a: 32, dwaa: 32, dwab: 256, unknown: 1,
};
const PIXEL_TYPES = ['uint', 'half', 'float'] as const;
const MAX_HEADER = 1 << 20;

export function isExr(head: Uint8Array): boolean {
  return head[0] === 0x76 && head[1] === 0x2f && head[2] === 0x31 && head[3] === 0x01;
}

function readBox(buf: Buffer, at: number): Box2i {
  return { xMin: buf.readInt32LE(at), yMin: buf.readInt32LE(at + 4), xMax: buf.readInt32LE(at + 8), yMax: buf.readInt32LE(at + 12) };
}

function readChannels(buf: Buffer, start: number, end: number): ExrHeader['channels'] {
  const channels: ExrHeader['channels'] = [];
  let at = start;
  while (at < end && buf[at] !== 0) {
    const nameEnd = buf.indexOf(0, at);
    const name = buf.toString('latin1', at, nameEnd);
    channels.push({ name, pixelType: PIXEL_TYPES[buf.readInt32LE(nameEnd + 1)] ?? 'uint' });
    at = nameEnd + 1 + 16;
  }
  return channels;
}

/** Parses the attribute list; returns the header and the offset just past it. */
export function parseExrHeader(buf: Buffer): { header: Omit<ExrHeader, 'complete'>; end: number } {
  if (!isExr(buf)) throw new Error('not an OpenEXR file (bad magic number)');
  const flags = buf.readUInt32LE(4);
  let at = 8;
  let dataWindow: Box2i | undefined;
  let displayWindow: Box2i | undefined;
  let compression: ExrCompression = 'none';
  let channels: ExrHeader['channels'] = [];
  while (buf[at] !== 0) {
    const nameEnd = buf.indexOf(0, at);
    const typeEnd = buf.indexOf(0, nameEnd + 1);
    if (nameEnd < 0 || typeEnd < 0 || typeEnd + 5 > buf.length) throw new Error('header is cut short');
    const name = buf.toString('latin1', at, nameEnd);
    const size = buf.readInt32LE(typeEnd + 1);
    const value = typeEnd + 5;
    if (size < 0 || value + size > buf.length) throw new Error(`attribute ${name} runs past the header`);
    if (name === 'dataWindow') dataWindow = readBox(buf, value);
    else if (name === 'displayWindow') displayWindow = readBox(buf, value);
    else if (name === 'compression') compression = EXR_COMPRESSIONS[buf[value] ?? 255] ?? 'unknown';
    else if (name === 'channels') channels = readChannels(buf, value, value + size);
    at = value + size;
  }
  if (!dataWindow || !displayWindow) throw new Error('header lacks dataWindow or displayWindow');
  const header = { dataWindow, displayWindow, compression, channels, tiled: (flags & 0x200) !== 0, multipart: (flags & 0x1000) !== 0 };
  return { header, end: at + 1 };
}

export async function readExrHeader(path: string): Promise<ExrHeader> {
  const file = await open(path, 'r');
  try {
    const { size: fileSize } = await file.stat();
    const length = Math.min(fileSize, MAX_HEADER);
    const buf = Buffer.alloc(length);
    await file.read(buf, 0, length, 0);
    const { header, end } = parseExrHeader(buf);
    if (header.tiled || header.multipart) return { ...header, complete: undefined };
    const height = header.dataWindow.yMax - header.dataWindow.yMin + 1;
    const chunks = Math.ceil(height / LINES_PER_CHUNK[header.compression]);
    const table = Buffer.alloc(chunks * 8);
    const { bytesRead } = await file.read(table, 0, table.length, end);
    if (bytesRead < table.length) return { ...header, complete: false };
    let last = 0;
    for (let i = 0; i < chunks; i += 1) last = Math.max(last, Number(table.readBigUInt64LE(i * 8)));
    const chunkHead = Buffer.alloc(8);
    const got = await file.read(chunkHead, 0, 8, last);
    const complete = got.bytesRead === 8 && last + 8 + chunkHead.readInt32LE(4) <= fileSize;
    return { ...header, complete };
  } finally {
    await file.close();
  }
}
