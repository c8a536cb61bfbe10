/** Compares every file that landed at the vendor with its source at HQ, byte for byte (SHA-256). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { walkTree } from '../core/paths/index.ts';

export interface Verification {
  files: number;
  bytes: number;
  verified: number;
  mismatched: string[];
}

async function digest(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function verifyMirror(hqRoot: string, vendorRoot: string, under: string): Promise<Verification> {
  const result: Verification = { files: 0, bytes: 0, verified: 0, mismatched: [] };
  for await (const entry of walkTree(path.join(vendorRoot, under))) {
    if (entry.kind !== 'file') continue;
    const relative = path.posix.join(under, entry.relative);
    result.files++;
    result.bytes += entry.size;
    const [landed, source] = await Promise.all([digest(path.join(vendorRoot, relative)), digest(path.join(hqRoot, relative)).catch(() => '')]);
    if (landed === source) result.verified++;
    else result.mismatched.push(relative);
  }
  return result;
}
