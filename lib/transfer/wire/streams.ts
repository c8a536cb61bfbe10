/**
 * How many data connections a link gets. A TCP stream under random loss carries
 * about MSS / (RTT·√loss) whatever the link's capacity (≈1 MB/s at 200 ms and
 * 0.1 % loss, ≈0.1 MB/s at 1 %), so a long lossy link needs dozens to hundreds
 * of streams while a LAN is CPU-bound with a few. HQ starts from the measured
 * round trip and then climbs: while the agent stays busy, each step doubles the
 * streams, and the climb goes on only while goodput grows with them.
 */

/** Most data connections one agent keeps. */
export const MAX_STREAMS = 256;

/**
 * Unacknowledged bytes per data connection at most, counted in chunks (at least
 * two: one travelling, one waiting behind it): enough to keep a stream's window
 * full, little enough that chunks spread over every stream instead of piling
 * into the send buffer of the first.
 */
export function chunksPerStream(chunkSize: number): number {
  return Math.max(2, Math.floor(STREAM_BYTES / chunkSize));
}

/**
 * 2 MiB: what a stream holds beyond that only queues in its send buffer, and a
 * long queue on one stream is what the last chunks of a send wait behind.
 */
const STREAM_BYTES = 2 * 1024 * 1024;

/** Bytes of chunks in flight per transfer at most (sent, not yet acknowledged). */
export const WINDOW_BYTES = 64 * 1024 * 1024;

/**
 * Data connections to open first for a round trip. Up to 120 ms a few
 * streams with large buffers fill a clean link (more only overshoot together
 * in slow start) and the governor climbs where loss calls for more;
 * intercontinental round trips start at the most: climbing there costs
 * several seconds of 200 ms slow starts, and such links are the lossy ones.
 */
export function streamsForRoundTrip(rttMs: number): number {
  if (rttMs < 5) return 4;
  if (rttMs < 120) return 8;
  return MAX_STREAMS;
}

/**
 * Data connections kept open on a long link beyond the governed ones, for
 * short bursts of small files. A burst of a few MB is over before TCP's slow
 * start ends, so it moves as fast as the sum of many streams' first windows
 * (measured on an 80 ms link, 8 MB over fresh streams: 670 ms on 8, 430 ms on
 * 32); large files keep to the governed streams, where more of them would only
 * overshoot the link's queue together. None on a LAN, which is CPU-bound.
 */
export function spreadStreamsForRoundTrip(rttMs: number): number {
  return rttMs < 5 ? 0 : SPREAD_STREAMS;
}

const SPREAD_STREAMS = 32;

/**
 * Small-file bytes in one send up to which its batches spread over every data
 * connection. Past it, the burst lasts long enough for the governed streams to
 * leave slow start, and more streams only add overshoot and per-stream work.
 */
export const SPREAD_BURST_BYTES = 32 * 1024 * 1024;

/**
 * Chunk size for a round trip (at most `max`): big chunks on a LAN (fewer
 * frames, acks and ledger writes per byte), small ones on long links so the
 * many streams there each carry a chunk within the memory window.
 */
export function chunkSizeForRoundTrip(rttMs: number, max: number): number {
  const wanted = rttMs < 5 ? max : rttMs < 120 ? 1024 * 1024 : 128 * 1024;
  return Math.min(max, wanted);
}

/**
 * Large files moved at once for a round trip (from `base`, the LAN figure):
 * each file costs round trips of its own (prepare, finish, its last chunks),
 * hidden only while enough other files keep the streams busy.
 */
export function filesForRoundTrip(base: number, rttMs: number): number {
  return Math.min(MAX_FILES_IN_FLIGHT, base * (1 + Math.floor(rttMs / 50)));
}

const MAX_FILES_IN_FLIGHT = 32;

/** Chunks per file at most, so a file's manifest (one hash per chunk) stays small. */
const MAX_CHUNKS = 65_536;

/** The chunk size for a file: the link's, raised (in powers of two, up to `max`) for a file too big for it. */
export function chunkSizeForFile(linkChunkSize: number, fileSize: number, max: number): number {
  let size = linkChunkSize;
  while (size < max && Math.ceil(fileSize / size) > MAX_CHUNKS) size *= 2;
  return Math.min(size, max);
}

/** Every chunk size a file may have begun with (a resumed file keeps its size), largest first. */
export function chunkSizeCandidates(max: number): number[] {
  const sizes = [max];
  for (let size = 64 * 1024; size < max; size *= 2) sizes.push(size);
  return [...new Set(sizes)].sort((a, b) => b - a);
}

export interface GovernorOptions {
  initial: number;
  max: number;
  /** Growth factor per step (2: on a link short of streams goodput doubles with them). */
  step?: number;
  /** Goodput must grow by this factor for a step to count as helping (1.25). */
  gain?: number;
}

/**
 * The climbing rule, without clocks or sockets: it is fed the goodput of each
 * fully busy measuring period and answers with the stream count to use next.
 * After a change one period is skipped (new connections still handshaking and
 * in slow start); a step that did not raise goodput ends the climb. A period
 * that showed a standing queue at the bottleneck holds the count: the link is
 * full, and a probe with more streams would only overflow its queue (a dip of
 * a tenth for a period on `wan`). It never shrinks: closing connections would
 * cut chunks in flight, and a few spare streams cost little.
 */
export class StreamGovernor {
  private current: number;
  private readonly max: number;
  private readonly step: number;
  private readonly gain: number;
  private best = 0;
  private warming = false;
  private stepped = false;
  private settled: boolean;

  constructor(options: GovernorOptions) {
    this.max = Math.max(1, Math.min(MAX_STREAMS, Math.trunc(options.max)));
    this.current = Math.max(1, Math.min(this.max, Math.trunc(options.initial)));
    this.step = options.step ?? 2;
    this.gain = options.gain ?? 1.25;
    this.settled = this.current >= this.max;
  }

  get streams(): number {
    return this.current;
  }

  get climbing(): boolean {
    return !this.settled;
  }

  /** A period in which the agent sat idle or only partly busy: nothing learned, and the next busy one warms up (streams restart slowly after idling). */
  idle(): void {
    this.warming = true;
  }

  /**
   * Goodput (bytes per second) of a period busy from start to end, and whether
   * round trips in it stood clearly above the idle link's (`standingQueue`);
   * returns the stream count to use next.
   */
  busy(bytesPerSecond: number, queued = false): number {
    if (this.settled) return this.current;
    if (this.warming) {
      this.warming = false;
      return this.current;
    }
    if (this.stepped) {
      this.stepped = false;
      if (bytesPerSecond < this.best * this.gain) {
        this.settled = true;
        return this.current;
      }
    }
    this.best = Math.max(this.best, bytesPerSecond);
    if (queued) return this.current;
    this.current = Math.min(this.max, Math.ceil(this.current * this.step));
    this.warming = true;
    this.stepped = true;
    if (this.current >= this.max) this.settled = true;
    return this.current;
  }
}

/**
 * Whether the round trips of a busy period show a standing queue: their median
 * at least 4 ms and 5 % over the idle link's. A bottleneck that is full keeps
 * its queue between losses; streams held back by random loss leave it empty.
 * (On `wan`, 8 streams filling the link keep pings 5–8 ms over the idle 81 ms.)
 */
export function standingQueue(idleMs: number, busyMs: number): boolean {
  if (!Number.isFinite(idleMs) || !Number.isFinite(busyMs)) return false;
  return busyMs - idleMs >= Math.max(QUEUE_MIN_MS, idleMs * QUEUE_SHARE);
}

const QUEUE_MIN_MS = 4;
const QUEUE_SHARE = 0.05;
