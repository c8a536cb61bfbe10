/**
 * The agent's record of the files it put in place: for each destination path,
 * the size, mtime and digest it verified. HQ asks for it before a delivery
 * (`held`), so files already in place are not sent again, also after HQ lost
 * track of them (killed mid-delivery). A JSON-lines file, appended to as files
 * land and compacted when it opens; no database, so the agent installs without
 * native modules. A record whose file's size or mtime changed since no longer
 * describes the file.
 */
import { appendFile, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { FileDigest } from '../transport.ts';
import type { PartialChunks } from './landing.ts';

/** Half-written files whose chunks are remembered. */
const PARTIALS_KEPT = 4096;

/** One line: `[path, size, mtimeMs, hash, chunk]`, or `[path]` when the record is dropped. */
type Line = [string, number, number, string, number] | [string];

export class HeldFiles {
  private readonly file: string | undefined;
  private readonly records = new Map<string, FileDigest>();
  /** Files left half-written while this agent runs, with the chunks it verified into them (memory only). */
  private readonly partials = new Map<string, PartialChunks>();
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;

  private constructor(file: string | undefined) {
    this.file = file;
  }

  /**
   * Loads (and compacts) the record kept in `dir`; a missing or torn file starts
   * empty. Without a folder the record lives in memory only (an agent restarted
   * then hashes the files HQ asks about).
   */
  static async open(dir: string | undefined): Promise<HeldFiles> {
    if (dir === undefined) return new HeldFiles(undefined);
    const file = path.join(dir, 'held.jsonl');
    const held = new HeldFiles(file);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const text = await readFile(file, 'utf8').catch(() => '');
    let lines = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      lines++;
      let entry: Line;
      try {
        entry = JSON.parse(line) as Line;
      } catch {
        continue; // a line torn by a crash
      }
      if (entry.length === 5) held.records.set(entry[0], { size: entry[1], mtimeMs: entry[2], hash: entry[3], chunk: entry[4] });
      else held.records.delete(entry[0]);
    }
    if (lines > held.records.size * 2 + 1000) await held.compact();
    return held;
  }

  get(destination: string): FileDigest | undefined {
    return this.records.get(destination);
  }

  /** Remembers the chunks verified into a file left half-written (HQ may have lost count of them). */
  notePartial(destination: string, chunks: PartialChunks): void {
    if (chunks.received.size === 0) return;
    this.partials.delete(destination);
    this.partials.set(destination, chunks);
    if (this.partials.size > PARTIALS_KEPT) this.partials.delete(this.partials.keys().next().value!);
  }

  partial(destination: string): PartialChunks | undefined {
    return this.partials.get(destination);
  }

  /** Records a file put in place; written soon after (several records per write). */
  put(destination: string, digest: FileDigest): void {
    this.partials.delete(destination);
    this.records.set(destination, digest);
    this.queue([destination, digest.size, Math.trunc(digest.mtimeMs), digest.hash, digest.chunk]);
  }

  forget(destination: string): void {
    if (!this.records.delete(destination)) return;
    this.queue([destination]);
  }

  /** Resolves once every record so far is on disk. */
  async flush(): Promise<void> {
    this.write();
    await this.writing;
  }

  private queue(line: Line): void {
    if (this.file === undefined) return;
    this.pending.push(JSON.stringify(line));
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.write());
  }

  private write(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    // A record that cannot be written only costs a re-check later: the agent hashes an unrecorded file when asked.
    const file = this.file!;
    this.writing = this.writing.then(() => appendFile(file, text, { mode: 0o600 })).catch(() => undefined);
  }

  private async compact(): Promise<void> {
    const lines = [...this.records].map(([destination, d]) => JSON.stringify([destination, d.size, d.mtimeMs, d.hash, d.chunk]));
    const temporary = `${this.file!}.compact`;
    await writeFile(temporary, lines.length ? `${lines.join('\n')}\n` : '', { mode: 0o600 });
    await rename(temporary, this.file!);
  }
}
