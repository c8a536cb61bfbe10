/**
 * The outbox: delivery requests the transfer core could not take (it was
 * offline or busy) are written to disk, one JSON file each, and replayed in
 * order later. Replaying is safe because a delivery is idempotent; a request
 * the core refuses outright moves to `failed/` with its error, never lost.
 */
import { mkdir, readFile, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { HandoffError, isRetryable, toHandoffError } from '../core/errors.ts';
import type { TransferAdapter } from '../transfer/index.ts';
import { deliver, type DeliveryDone, type DeliveryRequest } from './delivery.ts';
import { writeAtomically } from './manifest.ts';

export interface OutboxEntry {
  id: string;
  createdAt: string;
  request: DeliveryRequest;
  /** Why it is here (the error, or a large delivery appended after the reply), for people reading the folder. */
  reason: { code: string; message: string };
}

export interface DrainResult {
  sent: { id: string; done: DeliveryDone }[];
  failed: { id: string; error: HandoffError }[];
  /** Entries left because the transfer core is still unreachable. */
  pending: number;
  /** Why draining stopped early. */
  blockedBy?: HandoffError | undefined;
}

export interface Outbox {
  readonly dir: string;
  put(request: DeliveryRequest, reason?: HandoffError): Promise<OutboxEntry>;
  list(): Promise<OutboxEntry[]>;
  /** Replays entries oldest first; stops at the first retryable failure. */
  drain(transfer: TransferAdapter): Promise<DrainResult>;
}

let sequence = 0;

export function createOutbox(dir: string, now: () => Date = () => new Date()): Outbox {
  const failedDir = path.join(dir, 'failed');
  let draining: Promise<DrainResult> | undefined;

  const files = async (): Promise<string[]> => {
    const names = await readdir(dir).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.json')).sort();
  };
  const read = async (name: string): Promise<OutboxEntry> => JSON.parse(await readFile(path.join(dir, name), 'utf8')) as OutboxEntry;

  async function drainOnce(transfer: TransferAdapter): Promise<DrainResult> {
    const result: DrainResult = { sent: [], failed: [], pending: 0 };
    const names = await files();
    for (const [index, name] of names.entries()) {
      const entry = await read(name).catch(() => undefined);
      if (!entry) continue;
      try {
        result.sent.push({ id: entry.id, done: await deliver(transfer, entry.request) });
        await unlink(path.join(dir, name)).catch(() => undefined);
      } catch (err) {
        const error = toHandoffError(err, 'OUTSOURCE_DELIVERY_FAILED');
        if (isRetryable(error)) {
          result.pending = names.length - index;
          result.blockedBy = error;
          return result;
        }
        await mkdir(failedDir, { recursive: true });
        await writeAtomically(path.join(failedDir, name), JSON.stringify({ ...entry, reason: error.toJSON() }, null, 1));
        await unlink(path.join(dir, name)).catch(() => undefined);
        result.failed.push({ id: entry.id, error });
      }
    }
    return result;
  }

  return {
    dir,
    async put(request, reason) {
      await mkdir(dir, { recursive: true });
      const at = now();
      const id = `${at.getTime().toString().padStart(14, '0')}-${String(sequence++).padStart(6, '0')}-${randomUUID().slice(0, 8)}`;
      const why = reason ? { code: reason.code, message: reason.message } : { code: 'DEFERRED', message: 'a large delivery, appended after the reply' };
      const entry: OutboxEntry = { id, createdAt: at.toISOString(), request, reason: why };
      try {
        await writeAtomically(path.join(dir, `${id}.json`), JSON.stringify(entry, null, 1));
      } catch (cause) {
        throw new HandoffError('OUTSOURCE_OUTBOX_UNWRITABLE', `The transfer core is unreachable and the outbox ${dir} cannot be written`, {
          cause,
          details: { dir, reason: why.code },
          hint: 'Make the data folder writable, then launch Outsource again.',
        });
      }
      return entry;
    },
    async list() {
      const entries = await Promise.all((await files()).map((name) => read(name).catch(() => undefined)));
      return entries.filter((e): e is OutboxEntry => e !== undefined);
    },
    drain(transfer) {
      draining ??= drainOnce(transfer).finally(() => {
        draining = undefined;
      });
      return draining;
    },
  };
}
