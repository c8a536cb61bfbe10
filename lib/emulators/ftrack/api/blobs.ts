/**
 * Bytes of uploaded components, in memory and, when the emulator persists,
 * also in a folder on disk (one file per component id).
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

export class BlobStore {
  private readonly memory = new Map<string, Buffer>();
  private readonly dir: string | undefined;

  constructor(dir?: string) {
    this.dir = dir;
  }

  private file(id: string): string | undefined {
    return this.dir && /^[A-Za-z0-9-]+$/.test(id) ? path.join(this.dir, id) : undefined;
  }

  async put(id: string, bytes: Buffer): Promise<void> {
    this.memory.set(id, bytes);
    const file = this.file(id);
    if (!file || !this.dir) return;
    await mkdir(this.dir, { recursive: true });
    await writeFile(`${file}.part`, bytes);
    await rename(`${file}.part`, file);
  }

  async get(id: string): Promise<Buffer | undefined> {
    const hit = this.memory.get(id);
    if (hit) return hit;
    const file = this.file(id);
    if (!file) return undefined;
    try {
      const bytes = await readFile(file);
      this.memory.set(id, bytes);
      return bytes;
    } catch {
      return undefined;
    }
  }

  async delete(id: string): Promise<void> {
    this.memory.delete(id);
    const file = this.file(id);
    if (file) await rm(file, { force: true });
  }
}
