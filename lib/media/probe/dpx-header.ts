/**
 * Reads the fields of a DPX (SMPTE 268M) header that pre-publish needs:
 * size, bit depth, and the transfer/colorimetric codes of the first element.
 */
import { open } from 'node:fs/promises';

export interface DpxHeader {
  width: number;
  height: number;
  bitDepth: number;
  /** Descriptor code of image element 1 (50 = RGB, 51 = RGBA). */
  descriptor: number;
  /** Transfer code (2 = linear, 3 = logarithmic, 6 = BT.709, 13 = sRGB per 268M-2014). */
  transfer: number;
  colorimetric: number;
  littleEndian: boolean;
}

/** The SMPTE 268M transfer codes a person will recognise. */
export const DPX_TRANSFER_NAMES: Readonly<Record<number, string>> = {
  0: 'user-defined', 1: 'printing-density', 2: 'linear', 3: 'logarithmic', 4: 'unspecified-video',
  5: 'smpte-274m', 6: 'bt709', 7: 'bt601-625', 8: 'bt601-525', 13: 'srgb',
};

const HEADER_BYTES = 804;

export function isDpx(head: Uint8Array): boolean {
  const magic = Buffer.from(head.subarray(0, 4)).toString('latin1');
  return magic === 'SDPX' || magic === 'XPDS';
}

export function parseDpxHeader(buf: Buffer): DpxHeader {
  if (!isDpx(buf)) throw new Error('not a DPX file (bad magic number)');
  if (buf.length < HEADER_BYTES) throw new Error('header is cut short');
  const littleEndian = buf.toString('latin1', 0, 4) === 'XPDS';
  const u32 = (at: number) => (littleEndian ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  return {
    width: u32(772),
    height: u32(776),
    descriptor: buf[800] ?? 0,
    transfer: buf[801] ?? 0,
    colorimetric: buf[802] ?? 0,
    bitDepth: buf[803] ?? 0,
    littleEndian,
  };
}

export async function readDpxHeader(path: string): Promise<DpxHeader> {
  const file = await open(path, 'r');
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await file.read(buf, 0, HEADER_BYTES, 0);
    return parseDpxHeader(buf.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
}
