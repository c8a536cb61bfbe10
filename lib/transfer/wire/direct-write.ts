/**
 * Writes whole chunks of large files past the page cache (O_DIRECT) when the
 * file system takes it. A chunk is verified in memory and never read back, so
 * caching it only buys a copy into newly allocated page-cache pages and a long
 * flush at the end. On virtual machines that hand free memory back to the host
 * that copy costs more CPU than TLS, and several writers of one file spin on
 * its inode lock.
 *
 * O_DIRECT wants the memory, the offset and the length aligned to the device's
 * block. Chunks are copied into aligned slots: slices of one WebAssembly
 * memory, whose base is page-aligned. Tails, odd sizes and file systems that
 * refuse O_DIRECT go through the page cache as before.
 *
 * `HANDOFF_DIRECT_IO`: `auto` (default) on local disk file systems only (ext4,
 * XFS, Btrfs, ZFS); network shares keep their client cache, whose write-behind
 * they need, and a RAM disk gains nothing. `on` tries it on any file system,
 * `off` never.
 */
import { constants } from 'node:fs';
import { open, statfs } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { HandoffError } from '../../core/errors.ts';

/** Alignment that satisfies every block device in use (512-byte and 4 KiB sectors). */
export const DIRECT_ALIGN = 4096;
const SLOT_BYTES = 4 * 1024 * 1024;
const SLOTS = 8;
const WASM_PAGE = 64 * 1024;

/** statfs magic numbers of local disk file systems. */
const LOCAL_DISK = new Set([0xef53 /* ext2/3/4 */, 0x58465342 /* XFS */, 0x9123683e /* Btrfs */, 0x2fc12fc1 /* ZFS */]);

type DirectMode = 'auto' | 'on' | 'off';

function directMode(): DirectMode {
  const value = process.env.HANDOFF_DIRECT_IO ?? 'auto';
  if (value === 'auto' || value === 'on' || value === 'off') return value;
  throw new HandoffError('CONFIG_INVALID', `HANDOFF_DIRECT_IO is "${value}"`, { hint: 'Use auto, on or off.' });
}

/** Whether whole chunks of `file` may go past the page cache (by HANDOFF_DIRECT_IO and the file system). */
export async function directWritesAllowed(file: string): Promise<boolean> {
  const mode = directMode();
  if (mode === 'off' || constants.O_DIRECT === undefined) return false;
  if (mode === 'on') return true;
  const info = await statfs(file).catch(() => undefined);
  return info !== undefined && LOCAL_DISK.has(Number(info.type));
}

/** Bytes written past the page cache in this process (for benchmarks and diagnostics). */
export const directStats = { bytes: 0 };

/** A fixed set of aligned buffers, handed out first come first served. */
class AlignedSlots {
  private free: Buffer[] | undefined;
  private readonly waiters: ((slot: Buffer) => void)[] = [];

  private failed = false;

  /** Sets the slots up on first use; false when this process cannot have them (an address-space limit, say). */
  ready(): boolean {
    if (this.free || this.failed) return !this.failed;
    try {
      const memory = new WebAssembly.Memory({ initial: (SLOTS * SLOT_BYTES) / WASM_PAGE, maximum: (SLOTS * SLOT_BYTES) / WASM_PAGE });
      this.free = Array.from({ length: SLOTS }, (_, at) => Buffer.from(memory.buffer, at * SLOT_BYTES, SLOT_BYTES));
    } catch {
      this.failed = true;
    }
    return !this.failed;
  }

  async take(): Promise<Buffer> {
    const slot = this.free!.pop();
    if (slot) return slot;
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  give(slot: Buffer): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(slot);
    else this.free!.push(slot);
  }
}

const slots = new AlignedSlots();

export class DirectWriter {
  private readonly handle: FileHandle;
  private refused = false;

  private constructor(handle: FileHandle) {
    this.handle = handle;
  }

  /** A direct handle on an existing file, or undefined when chunks of this size cannot use one here. */
  static async open(file: string, chunkSize: number): Promise<DirectWriter | undefined> {
    if (chunkSize % DIRECT_ALIGN !== 0 || chunkSize > SLOT_BYTES || !(await directWritesAllowed(file)) || !slots.ready()) return undefined;
    const handle = await open(file, constants.O_WRONLY | constants.O_DIRECT | constants.O_NOFOLLOW).catch(() => undefined);
    return handle && new DirectWriter(handle);
  }

  /**
   * Writes `data` at `offset` past the page cache. Returns false, having written
   * nothing, when this write has to go through the page cache instead.
   */
  async write(data: Buffer, offset: number): Promise<boolean> {
    if (this.refused || offset % DIRECT_ALIGN !== 0 || data.length % DIRECT_ALIGN !== 0 || data.length > SLOT_BYTES) return false;
    const slot = await slots.take();
    try {
      data.copy(slot);
      let written = 0;
      while (written < data.length) {
        const { bytesWritten } = await this.handle.write(slot, written, data.length - written, offset + written);
        written += bytesWritten;
      }
    } catch (err) {
      // The file system took the flag at open but refuses the write: use the page cache from now on.
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err;
      this.refused = true;
      return false;
    } finally {
      slots.give(slot);
    }
    directStats.bytes += data.length;
    return true;
  }

  close(): Promise<void> {
    return this.handle.close().catch(() => undefined);
  }
}
