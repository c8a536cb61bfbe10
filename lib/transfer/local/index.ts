/**
 * The `local` transport: copies between folders on this machine (an HQ volume
 * and a mounted vendor root, or two volumes). Chunked into partial files,
 * verified per chunk and per file, resumable from the ledger, mtime kept.
 */
import { confinePath } from '../../core/paths/index.ts';
import { requireRoot, type Roots } from '../core/roots.ts';
import type { Transport } from '../transport.ts';
import { copyFile, writeChunkToDisk, type WriteChunk } from './copy.ts';
import { toTransferError } from './errors.ts';
import { listLocal } from './list.ts';
import type { FilePlan } from '../transport.ts';

export interface LocalTransportOptions {
  roots: Roots;
  /** Chunk size in bytes; default 8 MiB. */
  chunkSize?: number | undefined;
  writeChunk?: WriteChunk | undefined;
  onChunk?: ((file: FilePlan, index: number) => void) | undefined;
}

export function createLocalTransport(options: LocalTransportOptions): Transport {
  const chunkSize = options.chunkSize ?? 8 * 1024 * 1024;
  return {
    name: 'local',
    list: (from, requests, signal) => listLocal(requireRoot(options.roots, from), requests, signal),
    async send(files, sendOptions) {
      const fromRoot = requireRoot(options.roots, sendOptions.from);
      const toRoot = requireRoot(options.roots, sendOptions.to);
      for (const file of files) {
        if (sendOptions.signal.aborted) return;
        try {
          const source = await confinePath(fromRoot, file.source);
          const destination = await confinePath(toRoot, file.destination);
          await copyFile(file, source, destination, { chunkSize, writeChunk: options.writeChunk ?? writeChunkToDisk, onChunk: options.onChunk, options: sendOptions });
          sendOptions.onFileDone(file, { ok: true });
        } catch (err) {
          if (sendOptions.signal.aborted) return;
          sendOptions.onFileDone(file, { ok: false, error: toTransferError(err, file.destination) });
        }
      }
    },
  };
}
