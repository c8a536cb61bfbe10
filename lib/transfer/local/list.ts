/**
 * Expands task sources on a local root into files. Folders are walked;
 * symlinks are followed only while they stay inside the root (confinePath
 * proves it), and each real folder is visited once so link loops end.
 */
import { readdir, realpath, stat } from 'node:fs/promises';
import { HandoffError } from '../../core/errors.ts';
import { confinePath, toSafeRelative } from '../../core/paths/index.ts';
import type { FilePlan, ListRequest } from '../transport.ts';

const MAX_ENTRIES = 5_000_000;

export async function listLocal(root: string, requests: ListRequest[], signal: AbortSignal): Promise<FilePlan[]> {
  const plans: FilePlan[] = [];
  for (const request of requests) {
    const source = toSafeRelative(request.source);
    const destination = toSafeRelative(request.destination);
    const visited = new Set<string>();
    const walk = async (rel: string, dest: string): Promise<void> => {
      if (signal.aborted) throw new HandoffError('TRANSFER_ABORTED', 'Listing interrupted', { retryable: true });
      const abs = await confinePath(root, rel);
      const info = await stat(abs).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') {
          throw new HandoffError('TRANSFER_SOURCE_MISSING', `Source ${rel} does not exist`, {
            details: { source: rel },
            hint: 'Check the path (relative to the source root); retry the task once the file is there.',
          });
        }
        throw err;
      });
      if (info.isFile()) {
        plans.push({ taskId: request.taskId, source: rel, destination: dest, size: info.size, mtimeMs: info.mtimeMs });
      } else if (info.isDirectory()) {
        const real = await realpath(abs);
        if (visited.has(real)) return;
        visited.add(real);
        const names = (await readdir(abs)).filter((name) => !name.endsWith(PARTIAL_SUFFIX)).sort();
        for (const name of names) await walk(`${rel}/${name}`, `${dest}/${name}`);
      }
      if (plans.length > MAX_ENTRIES) {
        throw new HandoffError('TRANSFER_SOURCE_TOO_LARGE', `Source ${source} holds more than ${MAX_ENTRIES} files`, {
          details: { source },
          hint: 'Split the folder into several tasks.',
        });
      }
    };
    await walk(source, destination);
  }
  return plans;
}

/** Suffix of files still being written; never listed, never renamed into place unverified. */
export const PARTIAL_SUFFIX = '.handoff-partial';
