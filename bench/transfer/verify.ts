/** Checks a copy: same files, same sizes, and equal SHA-256 for a sample (every file when there are few). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

async function files(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => path.relative(root, path.join(entry.parentPath, entry.name))).sort();
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function verifyCopy(source: string, copy: string): Promise<boolean> {
  const [left, right] = await Promise.all([files(source), files(copy)]);
  if (left.length !== right.length || left.some((name, at) => name !== right[at])) return false;
  const step = Math.max(1, Math.floor(left.length / 50));
  for (let at = 0; at < left.length; at++) {
    const [a, b] = await Promise.all([stat(path.join(source, left[at]!)), stat(path.join(copy, left[at]!))]);
    if (a.size !== b.size) return false;
    if (at % step === 0 && (await sha256(path.join(source, left[at]!))) !== (await sha256(path.join(copy, left[at]!)))) return false;
  }
  return true;
}

/** Bytes in all files under a folder (hidden temporaries included: they hold what has arrived). */
export async function bytesUnder(root: string): Promise<number> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true }).catch(() => []);
  let total = 0;
  for (const entry of entries) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name)).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
