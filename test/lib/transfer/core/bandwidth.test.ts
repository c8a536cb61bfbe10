import { describe, expect, it } from 'vitest';
import { createTokenBucket } from '../../../../lib/transfer/core/bandwidth.ts';
import { createManualClock } from '../../../../lib/transfer/core/clock.ts';

describe('token bucket', () => {
  it('lets a burst through and makes the rest wait for refill on the clock', async () => {
    const clock = createManualClock();
    const bucket = createTokenBucket(1_000_000, clock);
    const signal = new AbortController().signal;
    clock.advance(1000); // fills to capacity (0.25 s of rate)
    await bucket.take(250_000, signal);
    let released = false;
    const waiting = bucket.take(500_000, signal).then(() => (released = true));
    await Promise.resolve();
    clock.advance(499);
    await Promise.resolve();
    expect(released).toBe(false);
    clock.advance(1);
    await waiting;
    expect(released).toBe(true);
  });

  it('is unlimited at rate 0 and rejects a wait when aborted', async () => {
    const clock = createManualClock();
    const controller = new AbortController();
    await createTokenBucket(0, clock).take(1e12, controller.signal);
    const bucket = createTokenBucket(1000, clock);
    const waiting = bucket.take(1e6, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'TRANSFER_ABORTED' });
    expect(clock.pending()).toBe(0);
  });
});
