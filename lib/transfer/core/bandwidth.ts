/**
 * Token bucket for bandwidth limits: transports ask for bytes before sending
 * them and wait (on the injectable clock) until the bucket refills.
 */
import { HandoffError } from '../../core/errors.ts';
import type { Clock } from './clock.ts';

export interface TokenBucket {
  take(bytes: number, signal: AbortSignal): Promise<void>;
  /** Bytes per second; 0 or Infinity means unlimited. */
  setRate(bytesPerSecond: number): void;
}

export function createTokenBucket(bytesPerSecond: number, clock: Clock, burstSeconds = 0.25): TokenBucket {
  let rate = bytesPerSecond;
  let tokens = 0;
  let last = clock.now();
  const capacity = (): number => Math.max(rate * burstSeconds, 64 * 1024);
  const refill = (): void => {
    const now = clock.now();
    tokens = Math.min(capacity(), tokens + ((now - last) / 1000) * rate);
    last = now;
  };
  const unlimited = (): boolean => !(rate > 0) || rate === Infinity;

  return {
    async take(bytes, signal) {
      if (unlimited()) return;
      refill();
      tokens -= bytes; // may go negative: a large chunk is paid for by waiting afterwards
      if (tokens >= 0) return;
      const waitMs = Math.ceil((-tokens / rate) * 1000);
      await new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          clock.clearTimeout(handle);
          reject(new HandoffError('TRANSFER_ABORTED', 'Transfer interrupted', { retryable: true }));
        };
        const handle = clock.setTimeout(() => {
          signal.removeEventListener('abort', onAbort);
          resolve();
        }, waitMs);
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    setRate(bytesPerSecond) {
      refill();
      rate = bytesPerSecond;
    },
  };
}
