/**
 * The `local` transport: copies between folders on this machine (an HQ volume
 * and a mounted vendor root, or two volumes). Chunked into partial files,
 * verified per chunk and per file, resumable from the ledger, mtime kept.
 */
import { stat } from 'node:fs/promises';
import { confinePath } from '../../core/paths/index.ts';
import { requireRoot, type Roots } from '../core/roots.ts';
import type { Transport } from '../transport.ts';
import { copyFile, writeChunkToDisk, type WriteChunk } from './copy.ts';
import { rootOffline, toTransferError } from './errors.ts';
import { listLocal } from './list.ts';
import type { FilePlan } from '../transport.ts';
import type { Party } from '../types.ts';

export interface LocalTransportOptions {
  roots: Roots;
  /** Chunk size in bytes; default 8 MiB. */
  chunkSize?: number | undefined;
  /** Flush each file's data before its rename (default true); false is faster, not power-cut safe. */
  fsync?: boolean | undefined;
  /** Files copied at once; default 8. */
  parallelFiles?: number | undefined;
  writeChunk?: WriteChunk | undefined;
  onChunk?: ((file: FilePlan, index: number) => void) | undefined;
}

/** The root folder of a party, proven to exist. */
async function reachableRoot(roots: Roots, party: Party): Promise<string> {
  const root = requireRoot(roots, party);
  const info = await stat(root).catch((err: unknown) => {
    throw rootOffline(root, err);
  });
  if (!info.isDirectory()) throw rootOffline(root, new Error('not a folder'));
  return root;
}

export function createLocalTransport(options: LocalTransportOptions): Transport {
  const chunkSize = options.chunkSize ?? 8 * 1024 * 1024;
  const parallelFiles = Math.max(1, options.parallelFiles ?? 8);
  return {
    name: 'local',
    list: async (from, requests, signal) => listLocal(await reachableRoot(options.roots, from), requests, signal),
    async send(files, sendOptions) {
      const fromRoot = await reachableRoot(options.roots, sendOptions.from);
      const toRoot = await reachableRoot(options.roots, sendOptions.to);
      const one = async (file: FilePlan): Promise<void> => {
        try {
          const source = await confinePath(fromRoot, file.source);
          const destination = await confinePath(toRoot, file.destination);
          await copyFile(file, source, destination, { chunkSize, fsync: options.fsync ?? true, writeChunk: options.writeChunk ?? writeChunkToDisk, onChunk: options.onChunk, options: sendOptions });
          sendOptions.onFileDone(file, { ok: true });
        } catch (err) {
          if (sendOptions.signal.aborted) return;
          sendOptions.onFileDone(file, { ok: false, error: toTransferError(err, file.destination) });
        }
      };
      // Several files at once hide the latency of the many small file-system calls each one needs.
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < files.length && !sendOptions.signal.aborted) await one(files[next++] as FilePlan);
      };
      await Promise.all(Array.from({ length: Math.min(parallelFiles, files.length) }, worker));
    },
  };
}
