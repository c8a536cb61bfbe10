import { describe, expect, it } from 'vitest';
import {
  MAX_STREAMS,
  StreamGovernor,
  chunkSizeCandidates,
  chunkSizeForFile,
  chunkSizeForRoundTrip,
  chunksPerStream,
  filesForRoundTrip,
  spreadStreamsForRoundTrip,
  standingQueue,
  streamsForRoundTrip,
} from '../../../../lib/transfer/wire/streams.ts';

const MB = 1e6;

/** Per-stream goodput of a lossy link (cubic), capped by the link: what the governor climbs against. */
function lossyLink(perStream: number, capacity: number): (streams: number) => number {
  return (streams) => Math.min(capacity, streams * perStream);
}

/** Drives a governor against a link model: one warm-up and one measuring period per step. */
function climb(governor: StreamGovernor, link: (streams: number) => number, periods = 40): number[] {
  const seen = [governor.streams];
  for (let period = 0; period < periods && governor.climbing; period++) {
    const next = governor.busy(link(governor.streams));
    if (next !== seen.at(-1)) seen.push(next);
  }
  return seen;
}

describe('stream governor', () => {
  it('climbs on a lossy long link until the link is full, then stops', () => {
    const governor = new StreamGovernor({ initial: 64, max: MAX_STREAMS });
    const steps = climb(governor, lossyLink(0.09 * MB, 118 * MB));
    expect(steps).toEqual([64, 128, 256]);
    expect(governor.climbing).toBe(false);
  });

  it('stops one step past the count that fills the link', () => {
    const governor = new StreamGovernor({ initial: 16, max: MAX_STREAMS });
    // 1 MB/s per stream on a 50 MB/s link: full at 50 streams.
    const steps = climb(governor, lossyLink(1 * MB, 50 * MB));
    expect(steps).toEqual([16, 32, 64, 128]);
    expect(governor.climbing).toBe(false);
    expect(governor.busy(50 * MB)).toBe(128);
  });

  it('does not climb when more streams bring nothing (a CPU-bound or throttled transfer)', () => {
    const governor = new StreamGovernor({ initial: 16, max: MAX_STREAMS });
    expect(climb(governor, () => 80 * MB)).toEqual([16, 32]);
    expect(governor.climbing).toBe(false);
  });

  it('skips the busy period right after a change or after idling, and learns nothing from idle ones', () => {
    const governor = new StreamGovernor({ initial: 10, max: 100 });
    expect(governor.busy(10 * MB)).toBe(20);
    // Warm-up: a poor period right after growing (connections still opening) is not held against the new count.
    expect(governor.busy(1 * MB)).toBe(20);
    governor.idle();
    // Streams restart slowly after idling: the first busy period after it is a warm-up too.
    expect(governor.busy(1 * MB)).toBe(20);
    expect(governor.busy(20 * MB)).toBe(40);
    governor.idle();
    expect(governor.busy(1 * MB)).toBe(40);
    expect(governor.busy(12 * MB)).toBe(40);
    expect(governor.climbing).toBe(false);
  });

  it('holds its count while the link shows a standing queue, and climbs once the queue is gone', () => {
    const governor = new StreamGovernor({ initial: 8, max: MAX_STREAMS });
    // A full link: no probe with more streams, however often it is asked.
    for (let period = 0; period < 5; period++) expect(governor.busy(119 * MB, true)).toBe(8);
    expect(governor.climbing).toBe(true);
    // The queue is gone (the link got faster, or the streams were loss-bound after all): climb, and
    // judge the step against the best period seen, held ones included.
    expect(governor.busy(60 * MB)).toBe(16);
    expect(governor.busy(30 * MB)).toBe(16);
    expect(governor.busy(140 * MB)).toBe(16);
    expect(governor.climbing).toBe(false);
  });

  it('a held period between two steps is not taken for the answer to a step', () => {
    const governor = new StreamGovernor({ initial: 8, max: MAX_STREAMS });
    expect(governor.busy(20 * MB)).toBe(16);
    expect(governor.busy(5 * MB)).toBe(16);
    expect(governor.busy(40 * MB, true)).toBe(16);
    // Not compared with 40 × 1.25: only the first full period after a step answers for it.
    expect(governor.busy(41 * MB)).toBe(32);
  });

  it('sees a standing queue only well above the idle round trip', () => {
    expect(standingQueue(81, 88)).toBe(true);
    expect(standingQueue(81, 84)).toBe(false);
    expect(standingQueue(200, 208)).toBe(false);
    expect(standingQueue(200, 212)).toBe(true);
    expect(standingQueue(81, Number.NaN)).toBe(false);
    expect(standingQueue(Infinity, 90)).toBe(false);
  });

  it('never exceeds its maximum and starts settled at it', () => {
    const governor = new StreamGovernor({ initial: 500, max: 1000 });
    expect(governor.streams).toBe(MAX_STREAMS);
    expect(governor.climbing).toBe(false);
    const small = new StreamGovernor({ initial: 3, max: 4 });
    expect(small.busy(MB)).toBe(4);
    expect(small.climbing).toBe(false);
  });
});

describe('link-based starting points', () => {
  it('opens few streams with big chunks on a LAN and many with small chunks on long links', () => {
    expect(streamsForRoundTrip(0.3)).toBe(4);
    expect(streamsForRoundTrip(80)).toBe(8);
    expect(streamsForRoundTrip(200)).toBe(MAX_STREAMS);
    // Long links keep extra connections open for bursts of small files; a LAN keeps none.
    expect(spreadStreamsForRoundTrip(0.3)).toBe(0);
    expect(spreadStreamsForRoundTrip(80)).toBe(32);
    expect(chunkSizeForRoundTrip(0.3, 2 * 2 ** 20)).toBe(2 * 2 ** 20);
    expect(chunkSizeForRoundTrip(80, 2 * 2 ** 20)).toBe(2 ** 20);
    expect(chunkSizeForRoundTrip(200, 2 * 2 ** 20)).toBe(128 * 1024);
    // A configured smaller chunk size always wins.
    expect(chunkSizeForRoundTrip(200, 64 * 1024)).toBe(64 * 1024);
    expect(filesForRoundTrip(8, 0.3)).toBe(8);
    expect(filesForRoundTrip(8, 80)).toBe(16);
    expect(filesForRoundTrip(8, 200)).toBe(32);
    expect(chunkSizeCandidates(2 * 2 ** 20)).toEqual([2 * 2 ** 20, 2 ** 20, 512 * 1024, 256 * 1024, 128 * 1024, 64 * 1024]);
    expect(chunkSizeCandidates(64 * 1024)).toEqual([64 * 1024]);
    expect(chunkSizeCandidates(48 * 1024)).toEqual([48 * 1024]);
    // A file too big for the link's chunk size gets bigger chunks (at most 65,536 of them), up to the maximum.
    expect(chunkSizeForFile(128 * 1024, 2 * 2 ** 30, 2 * 2 ** 20)).toBe(128 * 1024);
    expect(chunkSizeForFile(128 * 1024, 20 * 2 ** 30, 2 * 2 ** 20)).toBe(512 * 1024);
    expect(chunkSizeForFile(128 * 1024, 2 ** 40, 2 * 2 ** 20)).toBe(2 * 2 ** 20);
    // Each stream may hold 4 MiB unacknowledged, and at least two chunks.
    expect(chunksPerStream(2 * 2 ** 20)).toBe(2);
    expect(chunksPerStream(256 * 1024)).toBe(8);
    expect(chunksPerStream(16 * 2 ** 20)).toBe(2);
  });
});
