/**
 * HQ's view of one connected agent: its control connection (rpc) and its data
 * connections. Data frames are routed by key (`f:<fileId>` for chunks and acks,
 * `b:<batchId>` for small-file batches) to whoever is moving that file.
 */
import { HandoffError } from '../../core/errors.ts';
import type { Frame, FrameSocket } from './frames.ts';
import { StreamPicker } from './picker.ts';
import type { Rpc } from './rpc.ts';

export type DataRoute = (frame: Frame, socket: FrameSocket) => void | Promise<void>;

export class AgentSession {
  readonly vendor: string;
  /** Fingerprint of the agent's certificate: which of the vendor's agents this is. */
  agentKey: string | undefined;
  readonly id: string;
  readonly control: FrameSocket;
  readonly rpc: Rpc;
  private readonly data = new Set<FrameSocket>();
  private readonly routes = new Map<string, DataRoute>();
  private readonly retired = new Set<string>();
  private readonly picker = new StreamPicker(
    () => this.data,
    () => this.open,
  );
  private readonly closeListeners = new Set<() => void>();
  private readonly dataClosedListeners = new Set<() => void>();
  private readonly streamListeners = new Set<(count: number) => void>();
  private open = true;
  private sending = 0;
  private checking: Promise<boolean> | undefined;
  private busySince: number | undefined;
  private chunkMs: number | undefined;
  /** Data connections that carry large files (the governed count); `ready` once the first count is set. */
  wantedStreams = 0;
  /** Data connections kept open at least, for bursts of small files (see spreadStreamsForRoundTrip). */
  spreadStreams = 0;
  ready = false;
  /** Shortest control round trip measured when the agent connected (Infinity until then). */
  rttMs = Infinity;
  /** File bytes verified at the far end (or arrived here) since the session began. */
  movedBytes = 0;
  private lastId = 0;

  constructor(vendor: string, id: string, control: FrameSocket, rpc: Rpc) {
    this.vendor = vendor;
    this.id = id;
    this.control = control;
    this.rpc = rpc;
  }

  /**
   * A new file or batch id, unique within the session: the agent keeps its open
   * files and the batches it has written by id until the session ends.
   */
  nextId(): number {
    return ++this.lastId;
  }

  get isOpen(): boolean {
    return this.open;
  }

  get streams(): number {
    return this.data.size;
  }

  /** The open data connections (for diagnostics). */
  connections(): FrameSocket[] {
    return [...this.data];
  }

  /** Calls `listener` once when the session ends (at once if it already has); returns an unsubscribe. */
  onClose(listener: () => void): () => void {
    if (!this.open) {
      listener();
      return () => undefined;
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /**
   * After a data connection dropped: whether the agent is still there (a round
   * trip on the control connection), so chunks are sent again on the other
   * streams only when they will not die with the whole session too. Concurrent
   * callers share one round trip.
   */
  stillConnected(): Promise<boolean> {
    if (!this.open) return Promise.resolve(false);
    this.checking ??= this.request('ping', {}, 15_000).then(
      () => this.open,
      () => false,
    ).finally(() => (this.checking = undefined));
    return this.checking;
  }

  request<T>(op: string, payload: Record<string, unknown>, timeoutMs?: number): Promise<T> {
    if (!this.open) return Promise.reject(offline(this.vendor));
    return this.rpc.request<T>(op, payload, timeoutMs);
  }

  /** Data connections the agent is asked to keep open. */
  get wantedConnections(): number {
    return Math.max(this.wantedStreams, this.spreadStreams);
  }

  /** Asks the agent to carry large files on `count` data connections (and keep the spread open). */
  async setStreams(count: number): Promise<void> {
    this.wantedStreams = count;
    await this.request('streams', { count: this.wantedConnections, chunks: count });
    for (const listener of [...this.streamListeners]) listener(count);
  }

  /** Calls `listener` with the new count whenever the agent is asked for more or fewer data connections. */
  onStreams(listener: (count: number) => void): () => void {
    this.streamListeners.add(listener);
    return () => this.streamListeners.delete(listener);
  }

  /**
   * Notes how long a chunk took from leaving HQ to its acknowledgement. A
   * chunk unanswered for much longer than usual is stuck behind a lost packet
   * on a slow stream: that is when a spare copy on another stream pays.
   */
  chunkAnswered(ms: number): void {
    this.chunkMs = this.chunkMs === undefined ? ms : this.chunkMs * 0.9 + ms * 0.1;
  }

  /** How long a chunk may stay unanswered, once its file has nothing else to send, before a spare copy goes out. */
  get spareAfterMs(): number {
    const roundTrip = Number.isFinite(this.rttMs) ? this.rttMs : 100;
    return Math.max(SPARE_MIN_MS, 2 * roundTrip, 2 * (this.chunkMs ?? roundTrip));
  }

  /** Counts file bytes moved (for the stream governor's goodput). */
  moved(bytes: number): void {
    this.movedBytes += bytes;
  }

  /** Marks a transfer running on this session until the returned function is called. */
  beginSend(): () => void {
    if (this.sending++ === 0) this.busySince = performance.now();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.sending === 0) this.busySince = undefined;
    };
  }

  /** When the current unbroken stretch of transfers began (undefined while idle). */
  get busyFrom(): number | undefined {
    return this.busySince;
  }

  route(key: string, handler: DataRoute): void {
    this.routes.set(key, handler);
  }

  unroute(key: string): void {
    this.routes.delete(key);
  }

  /**
   * Unroutes an upload that is done: a spare copy of one of its chunks may still
   * be on its way from the agent, and is then answered and dropped instead of
   * ending its connection as a frame nobody asked for would.
   */
  retire(key: string): void {
    this.routes.delete(key);
    this.retired.add(key);
    if (this.retired.size > RETIRED_KEPT) this.retired.delete(this.retired.values().next().value!);
  }

  attach(socket: FrameSocket): void {
    if (!this.open) {
      socket.destroy();
      return;
    }
    this.data.add(socket);
    socket.onFree = () => this.picker.wake();
    this.picker.wake();
  }

  /** Calls `listener` whenever one data connection closes; returns an unsubscribe. */
  onDataClosed(listener: () => void): () => void {
    this.dataClosedListeners.add(listener);
    return () => this.dataClosedListeners.delete(listener);
  }

  detach(socket: FrameSocket): void {
    this.data.delete(socket);
    for (const listener of [...this.dataClosedListeners]) listener();
  }

  /** Delivers a data frame to its route; frames for unknown routes from the agent end the connection. */
  dispatch(frame: Frame, socket: FrameSocket): void | Promise<void> {
    const key = frame.head.t === 'b' || frame.head.t === 'ba' ? `b:${String(frame.head.id)}` : `f:${String(frame.head.f)}`;
    const handler = this.routes.get(key);
    if (handler) return handler(frame, socket);
    if ((frame.head.t === 'c' || frame.head.t === 'b') && this.retired.has(key)) {
      void socket.send({ t: 'k' }).catch(() => undefined);
      return undefined;
    }
    if (frame.head.t === 'c' || frame.head.t === 'b') socket.destroy(new Error(`unexpected ${frame.head.t} frame for ${key}`));
    // The answer to a spare copy that lost the race (its file already done) still frees its connection.
    else if (frame.head.t === 'a' || frame.head.t === 'ba') socket.acknowledged();
    return undefined;
  }

  /**
   * A data connection with fewer than `perStream` chunks unacknowledged (counted
   * as carrying one more), among the first `among` (the governed streams by
   * default); waits for one.
   */
  async pick(perStream: number, signal?: AbortSignal, among = this.wantedStreams): Promise<FrameSocket> {
    const socket = await this.picker.pick({ perStream, among: among || Infinity, signal, timeoutMs: 60_000 });
    if (socket) return socket;
    if (signal?.aborted) throw signal.reason instanceof Error ? signal.reason : offline(this.vendor);
    throw offline(this.vendor);
  }

  close(): void {
    if (!this.open) return;
    this.open = false;
    this.rpc.closeAll(offline(this.vendor));
    this.control.destroy();
    for (const socket of this.data) socket.destroy();
    this.data.clear();
    this.picker.wake();
    this.streamListeners.clear();
    for (const listener of [...this.closeListeners]) listener();
    this.closeListeners.clear();
  }
}

/** Finished uploads whose late spare copies are still answered. */
const RETIRED_KEPT = 1024;
/** A spare copy never goes out sooner than this after its chunk (a LAN answers in well under it). */
const SPARE_MIN_MS = 200;

export function offline(vendor: string): HandoffError {
  return new HandoffError('TRANSFER_AGENT_OFFLINE', `The agent of ${vendor} is not connected`, {
    retryable: true,
    details: { vendor },
    hint: 'Start the handoff agent at the vendor (it dials out to HQ); the transfer resumes when it connects.',
  });
}
