/**
 * The Transport seam: how the core's scheduler moves bytes between two parties.
 * Implementations: `local` (same machine / mounted storage) and `wire` (HQ ↔
 * vendor agent over TLS). The scheduler drives both alike: it lists a task's
 * files, then sends them with a chunk ledger it persists, so any attempt resumes
 * where the previous one stopped.
 */
import type { HandoffError } from '../core/errors.ts';
import type { Party } from './types.ts';

/** One file to move. Both paths are relative to their party's root and already safe. */
export interface FilePlan {
  taskId: string;
  source: string;
  destination: string;
  size: number;
  mtimeMs: number;
}

/** What to expand: a task's source (file or folder) and where it lands. */
export interface ListRequest {
  taskId: string;
  source: string;
  destination: string;
}

/**
 * Per-file chunk map, persisted by the core (SQLite). Keys are opaque to the
 * core: a transport builds them with `ledgerKey` so a changed source file or a
 * different chunk size never reuses stale chunks.
 */
export interface ChunkLedger {
  /** Chunk indexes already verified at the destination. */
  done(fileKey: string): Promise<Set<number>>;
  mark(fileKey: string, index: number, hash: string): Promise<void>;
  /** Forgets a file's chunks (after it is renamed into place, or when they prove stale). */
  clear(fileKey: string): Promise<void>;
}

/** A file's content as recorded when it went into place (see wire/digest.ts). */
export interface FileDigest {
  size: number;
  mtimeMs: number;
  /** XXH3-128 of the bytes (chunk 0) or of the chunk hashes at `chunk` bytes each. */
  hash: string;
  chunk: number;
}

/** What happened to a file that was already at the vendor and differs from what HQ last sent there. */
export type VendorChangedAction = 'overwrite' | 'keep' | 'rename';

export type FileResult =
  | {
      ok: true;
      /** The bytes put in place (recorded so a later delivery can skip the file). */
      digest?: FileDigest | undefined;
      /** The destination already held these bytes: nothing was sent (its bytes count as done without `onProgress`). */
      present?: boolean | undefined;
      /** The vendor's own version was there and was handled so (`rename`: set aside under `asideAs`). */
      vendorChanged?: { action: VendorChangedAction; asideAs?: string | undefined } | undefined;
    }
  | { ok: false; error: HandoffError };

/** What HQ last put in place at one vendor, by destination path (kept by the core). */
export interface DeliveryRecords {
  get(destinations: readonly string[]): Map<string, FileDigest>;
}

/** Access check the core provides (shares and grants); throws HandoffError when denied. */
export type AccessCheck = (vendor: string, path: string, mode: 'read' | 'write') => void | Promise<void>;

export interface SendOptions {
  from: Party;
  to: Party;
  ledger: ChunkLedger;
  signal: AbortSignal;
  /**
   * Newly verified bytes (a delta) for a task. At the start of each file the
   * bytes the ledger already holds are reported once, so a task's progress can
   * be rebuilt from zero on every attempt.
   */
  onProgress(taskId: string, bytes: number): void;
  /** Called exactly once per file, after it is in place (ok) or has failed. */
  onFileDone(file: FilePlan, result: FileResult): void;
  /** Deliveries to a vendor: what HQ put there before, so files already in place are not sent again. */
  delivered?: DeliveryRecords | undefined;
  /** Bandwidth limit: resolves when `bytes` may be sent (the core's token bucket). */
  throttle?: ((bytes: number, signal: AbortSignal) => Promise<void>) | undefined;
}

export interface Transport {
  readonly name: string;
  /**
   * Expands each request on the source party into files (folders walked,
   * symlinks not followed out of the root, paths confined). A folder source maps
   * `source/x` to `destination/x`. Throws HandoffError (e.g. PATH_UNSAFE,
   * TRANSFER_SOURCE_MISSING, TRANSFER_AGENT_OFFLINE).
   */
  list(from: Party, requests: ListRequest[], signal: AbortSignal): Promise<FilePlan[]>;
  /**
   * Moves the files, resuming from the ledger: written at offsets into a partial
   * file, each chunk verified, the whole file verified before an atomic rename,
   * mtime kept. Per-file failures go to `onFileDone`; it rejects only for the
   * whole batch (aborted, party unreachable).
   */
  send(files: FilePlan[], options: SendOptions): Promise<void>;
  /** Calls `listener` whenever a vendor's agent (re)connects, so work waiting on it starts at once. */
  onAgentReady?(listener: (vendor: string) => void): void;
  /** Releases connections and handles. */
  close?(): Promise<void>;
}

/** Ledger key of a file: changes when the source changes or chunking differs. */
export function ledgerKey(file: FilePlan, chunkSize: number): string {
  return `${file.taskId}:${file.destination}:${file.size}:${Math.trunc(file.mtimeMs)}:${chunkSize}`;
}
