/**
 * Just enough ISO-BMFF (MP4/MOV) reading to verify our own review movies
 * without spawning a process: the top-level box order (faststart puts `moov`
 * before `mdat`) and the video track's sample count.
 */
import { open } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';

interface Box {
  type: string;
  /** Offset of the payload and its end, in the buffer or file being walked. */
  start: number;
  end: number;
}

function* boxesIn(buf: Buffer, from: number, to: number): Generator<Box> {
  for (let at = from; at + 8 <= to; ) {
    let size = buf.readUInt32BE(at);
    let header = 8;
    if (size === 1 && at + 16 <= to) {
      size = Number(buf.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < header || at + size > to) return;
    yield { type: buf.toString('latin1', at + 4, at + 8), start: at + header, end: at + size };
    at += size;
  }
}

async function topLevel(handle: FileHandle): Promise<Box[]> {
  const { size } = await handle.stat();
  const boxes: Box[] = [];
  const head = Buffer.alloc(16);
  for (let at = 0; at + 8 <= size && boxes.length < 256; ) {
    await handle.read(head, 0, 16, at);
    let length = head.readUInt32BE(0);
    let header = 8;
    if (length === 1) {
      length = Number(head.readBigUInt64BE(8));
      header = 16;
    } else if (length === 0) {
      length = size - at;
    }
    if (length < header) break;
    boxes.push({ type: head.toString('latin1', 4, 8), start: at + header, end: Math.min(size, at + length) });
    at += length;
  }
  return boxes;
}

/** Top-level box types in file order (`ftyp`, `moov`, `mdat` …). */
export async function mp4TopLevelBoxes(file: string): Promise<string[]> {
  const handle = await open(file, 'r');
  try {
    return (await topLevel(handle)).map((b) => b.type);
  } finally {
    await handle.close();
  }
}

function child(buf: Buffer, box: Box, type: string): Box | undefined {
  for (const inner of boxesIn(buf, box.start, box.end)) if (inner.type === type) return inner;
  return undefined;
}

/** Samples (frames) in the first video track, from its `stsz`/`stz2` box; undefined when not found. */
export async function mp4VideoFrameCount(file: string): Promise<number | undefined> {
  const handle = await open(file, 'r');
  try {
    const moov = (await topLevel(handle)).find((b) => b.type === 'moov');
    if (!moov) return undefined;
    const buf = Buffer.alloc(moov.end - moov.start);
    await handle.read(buf, 0, buf.length, moov.start);
    for (const trak of boxesIn(buf, 0, buf.length)) {
      if (trak.type !== 'trak') continue;
      const mdia = child(buf, trak, 'mdia');
      const hdlr = mdia && child(buf, mdia, 'hdlr');
      if (!mdia || !hdlr || buf.toString('latin1', hdlr.start + 8, hdlr.start + 12) !== 'vide') continue;
      const minf = child(buf, mdia, 'minf');
      const stbl = minf && child(buf, minf, 'stbl');
      const stsz = stbl && (child(buf, stbl, 'stsz') ?? child(buf, stbl, 'stz2'));
      return stsz ? buf.readUInt32BE(stsz.start + 8) : undefined;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}
