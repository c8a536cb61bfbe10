/**
 * Outsource keeps a delivery in its outbox when the transfer core refuses it
 * for a passing reason; the server replays the outbox when it starts and then
 * every `everyMs`, so nothing a coordinator queued waits for the next click.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { Outbox } from '../outsource/index.ts';
import type { TransferAdapter } from '../transfer/types.ts';

export async function replayOutbox(options: {
  outbox: Outbox;
  transfer: TransferAdapter;
  signal: AbortSignal;
  everyMs?: number;
  onDrained?: (sent: number, failed: number, pending: number) => void;
  onError?: (err: unknown) => void;
}): Promise<void> {
  const { outbox, transfer, signal } = options;
  while (!signal.aborted) {
    try {
      const result = await outbox.drain(transfer);
      if (result.sent.length || result.failed.length) options.onDrained?.(result.sent.length, result.failed.length, result.pending);
    } catch (err) {
      options.onError?.(err);
    }
    try {
      await delay(options.everyMs ?? 30_000, undefined, { signal });
    } catch {
      return;
    }
  }
}
