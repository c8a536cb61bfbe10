/**
 * Framing on every wire connection: `[u32 headLength][u32 bodyLength][head JSON][body]`.
 * Heads are small JSON objects with a `t` (type); bodies carry file bytes. Sizes
 * are bounded so a hostile peer cannot make us allocate without limit.
 */
import type { Socket } from 'node:net';
import { HandoffError } from '../../core/errors.ts';
import { chunkBuffers } from './buffer-pool.ts';

export const MAX_HEAD = 4 * 1024 * 1024;
export const MAX_BODY = 64 * 1024 * 1024;

export interface FrameLimits {
  head: number;
  body: number;
}
export const FULL_LIMITS: FrameLimits = { head: MAX_HEAD, body: MAX_BODY };
/** Before the peer is authenticated: room for a hello or an enrolment, none for filling memory. */
export const PRE_AUTH_LIMITS: FrameLimits = { head: 8 * 1024, body: 4 * 1024 };
/** Bytes kept unparsed while the reader holds (the socket is paused meanwhile). */
const MAX_HELD = 256 * 1024;

export type Head = { t: string } & Record<string, unknown>;
export interface Frame {
  head: Head;
  body: Buffer | undefined;
}

function protocolError(reason: string): HandoffError {
  return new HandoffError('WIRE_PROTOCOL', `The other end sent an invalid frame: ${reason}`, {
    details: { reason },
    hint: 'Make sure HQ and the agent run the same handoff version.',
  });
}

function tooLarge(what: string, length: number, limit: number): HandoffError {
  return new HandoffError('WIRE_FRAME_TOO_LARGE', `The other end announced a ${what} of ${length} bytes before it was authenticated (at most ${limit})`, {
    details: { what, length, limit },
    hint: 'Nothing was read. An agent sends large frames only once HQ has accepted its certificate; enrol it first.',
  });
}

/** Turns a byte stream into frames; copies each body once and keeps no reference to the bytes it is fed. */
export class FrameReader {
  /** Longest head and body accepted; beyond them the stream is refused before anything is allocated. */
  private limits: FrameLimits = FULL_LIMITS;
  /** Frames still to parse before later bytes are held, unparsed, until `release`. */
  private budget = Infinity;
  private held: Buffer[] = [];
  private heldBytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private head: Head | undefined;
  private body: Buffer | undefined;
  private bodyFilled = 0;

  /** Parses at most `frames` more frames under `limits`; the bytes after them wait for `release`. */
  hold(frames: number, limits: FrameLimits): void {
    this.budget = frames;
    this.limits = limits;
  }

  /** Parses again without a frame budget, under `limits`; returns the frames the held bytes complete. */
  release(limits: FrameLimits = FULL_LIMITS): Frame[] {
    this.budget = Infinity;
    this.limits = limits;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    return held.flatMap((bytes) => this.push(bytes));
  }

  /** True while bytes wait for `release`. */
  get holding(): boolean {
    return this.budget <= 0;
  }

  private keep(input: Buffer): void {
    this.heldBytes += input.length;
    if (this.heldBytes > MAX_HELD) throw tooLarge('burst', this.heldBytes, MAX_HELD);
    this.held.push(Buffer.from(input));
  }

  /** Feeds bytes; returns the frames they completed. Throws WIRE_PROTOCOL on garbage, WIRE_FRAME_TOO_LARGE past held limits. */
  push(data: Buffer): Frame[] {
    const frames: Frame[] = [];
    let input = data;
    while (input.length > 0) {
      if (this.budget <= 0) {
        this.keep(input);
        break;
      }
      if (this.body) {
        const take = Math.min(input.length, this.body.length - this.bodyFilled);
        input.copy(this.body, this.bodyFilled, 0, take);
        this.bodyFilled += take;
        input = input.subarray(take);
        if (this.bodyFilled === this.body.length) {
          frames.push(this.finish());
          this.budget--;
        }
        continue;
      }
      this.pending.push(input);
      this.pendingBytes += input.length;
      const parsed = this.takeHead();
      if (!parsed) {
        // Keep our own copy: the caller may reuse the memory it handed us.
        this.pending = [Buffer.concat(this.pending)];
        break;
      }
      if (parsed.frame) {
        frames.push(parsed.frame);
        this.budget--;
      }
      input = parsed.rest;
    }
    return frames;
  }

  /** Parses a head once enough bytes are pending; starts its body or returns a body-less frame. */
  private takeHead(): { frame: Frame | undefined; rest: Buffer } | undefined {
    if (this.pendingBytes < 8) return undefined;
    const all = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending);
    this.pending = [all];
    const headLength = all.readUInt32BE(0);
    const bodyLength = all.readUInt32BE(4);
    const limited = this.limits !== FULL_LIMITS;
    if (headLength === 0 || headLength > MAX_HEAD) throw protocolError(`head of ${headLength} bytes`);
    if (bodyLength > MAX_BODY) throw protocolError(`body of ${bodyLength} bytes`);
    if (limited && headLength > this.limits.head) throw tooLarge('frame head', headLength, this.limits.head);
    if (limited && bodyLength > this.limits.body) throw tooLarge('frame body', bodyLength, this.limits.body);
    if (all.length < 8 + headLength) return undefined;
    let head: Head;
    try {
      head = JSON.parse(all.toString('utf8', 8, 8 + headLength)) as Head;
    } catch (err) {
      throw protocolError(`head is not JSON (${(err as Error).message})`);
    }
    if (typeof head !== 'object' || head === null || typeof head.t !== 'string') throw protocolError('head without a type');
    this.pending = [];
    this.pendingBytes = 0;
    const rest = all.subarray(8 + headLength);
    if (bodyLength === 0) return { frame: { head, body: undefined }, rest };
    this.head = head;
    this.body = chunkBuffers.take(bodyLength);
    this.bodyFilled = 0;
    return { frame: undefined, rest };
  }

  private finish(): Frame {
    const frame = { head: this.head!, body: this.body };
    this.head = undefined;
    this.body = undefined;
    this.bodyFilled = 0;
    return frame;
  }
}

export function encodeHead(head: Head, bodyLength: number): Buffer {
  const json = Buffer.from(JSON.stringify(head), 'utf8');
  const out = Buffer.allocUnsafe(8 + json.length);
  out.writeUInt32BE(json.length, 0);
  out.writeUInt32BE(bodyLength, 4);
  json.copy(out, 8);
  return out;
}

/** Frames handled at once per socket before it stops reading (bounds memory per connection). */
const MAX_BUSY = 3;
/** The reused read buffer of a dialled connection (TLS hands over at most one 16 KiB record per read). */
const READ_BUFFER_BYTES = 64 * 1024;

type OnFrame = (frame: Frame) => void | Promise<void>;
/** Node's `onread` socket option. */
export interface OnRead {
  buffer: Buffer;
  callback: (bytes: number, buffer: Buffer) => boolean;
}

/** A socket speaking frames, with backpressure both ways. */
export class FrameSocket {
  readonly socket: Socket;
  private readonly reader = new FrameReader();
  private readonly onFrame: OnFrame;
  private closed = false;
  private busy = 0;
  /** Chunks sent on this connection that the other end has not acknowledged yet. */
  unacked = 0;
  /** Frames handed to the socket whose bytes the kernel has not taken yet (they are held in memory meanwhile). */
  writing = 0;
  /** Picked for a chunk that is still being read (its `send` or `abandon` follows). */
  reserved = false;
  /** Called when a chunk is acknowledged, a write completes or the connection closes. */
  onFree: (() => void) | undefined;
  private readonly goneListeners = new Set<() => void>();

  /**
   * Dials a connection whose incoming bytes land in one reused buffer (`onread`)
   * rather than a new allocation per TLS record: at hundreds of MB/s those
   * allocations keep the garbage collector busy.
   */
  static dial(dial: (onread: OnRead) => Socket, onFrame: OnFrame, onClose: () => void): FrameSocket {
    const onread: OnRead = {
      buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
      callback: (bytes, buffer) => {
        framed.take(buffer.subarray(0, bytes));
        return true;
      },
    };
    const framed: FrameSocket = new FrameSocket(dial(onread), onFrame, onClose, false);
    return framed;
  }

  /** `listen` false: the socket was dialled with `onread` and feeds `take` itself. */
  constructor(socket: Socket, onFrame: OnFrame, onClose: () => void, listen = true) {
    this.socket = socket;
    this.onFrame = onFrame;
    if (listen) socket.on('data', (data: Buffer) => this.take(data));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      for (const listener of [...this.goneListeners]) listener();
      this.goneListeners.clear();
      this.onFree?.();
      onClose();
    });
  }

  /** Reads at most `frames` frames under `limits` until `release` (a peer not yet authenticated). */
  hold(frames: number, limits: FrameLimits): void {
    this.reader.hold(frames, limits);
  }

  /** Lifts the frame budget (the peer is known) and parses what waited. */
  release(limits: FrameLimits = FULL_LIMITS): void {
    if (this.closed) return;
    let frames: Frame[];
    try {
      frames = this.reader.release(limits);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    this.deliver(frames);
    if (this.busy < MAX_BUSY && this.socket.isPaused()) this.socket.resume();
  }

  private take(data: Buffer): void {
    if (this.closed) return;
    let frames: Frame[];
    try {
      frames = this.reader.push(data);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    if (this.reader.holding) this.socket.pause();
    this.deliver(frames);
  }

  /** A frame too large for an unauthenticated peer is answered with its code before the connection closes. */
  private fail(err: Error): void {
    if (!(err instanceof HandoffError) || err.code !== 'WIRE_FRAME_TOO_LARGE') return this.destroy(err);
    this.closed = true;
    this.socket.pause();
    const socket = this.socket;
    const timer = setTimeout(() => socket.destroy(), 1_000);
    timer.unref();
    socket.end(encodeHead({ t: 'refused', code: err.code, message: err.message }, 0), () => socket.destroy());
  }

  private deliver(frames: Frame[]): void {
    for (const frame of frames) {
      if (this.closed) return;
      const pending = this.onFrame(frame);
      if (!pending) continue;
      this.busy++;
      if (this.busy >= MAX_BUSY) this.socket.pause();
      pending.then(
        () => {
          if (frame.body) chunkBuffers.give(frame.body);
          this.settle();
        },
        (err: unknown) => {
          this.settle();
          this.destroy(err as Error);
        },
      );
    }
  }

  private settle(): void {
    this.busy--;
    if (this.busy < MAX_BUSY && this.socket.isPaused() && !this.reader.holding) this.socket.resume();
  }

  /** Calls `listener` when the connection closes; returns the way to stop listening. */
  whenGone(listener: () => void): () => void {
    if (!this.isOpen) {
      queueMicrotask(listener);
      return () => undefined;
    }
    this.goneListeners.add(listener);
    return () => this.goneListeners.delete(listener);
  }

  get isOpen(): boolean {
    return !this.closed && !this.socket.destroyed;
  }

  /**
   * Writes a frame; resolves once its bytes are handed to TLS and the socket can
   * take more, so the caller may reuse the body buffers.
   */
  async send(head: Head, ...body: Buffer[]): Promise<void> {
    if (!this.isOpen) throw closedError();
    const length = body.reduce((sum, part) => sum + part.length, 0);
    this.reserved = false;
    this.writing++;
    await new Promise<void>((resolve) => {
      const stopWatching = this.whenGone(resolve);
      const done = (): void => {
        stopWatching();
        this.writing--;
        resolve();
        this.onFree?.();
      };
      this.socket.cork();
      this.socket.write(encodeHead(head, length), body.length === 0 ? done : undefined);
      body.forEach((part, at) => this.socket.write(part, at === body.length - 1 ? done : undefined));
      this.socket.uncork();
    });
    if (!this.isOpen) throw closedError();
  }

  /** The other end acknowledged a chunk carried here. */
  acknowledged(): void {
    if (this.unacked > 0) this.unacked--;
    this.onFree?.();
  }

  /** A chunk picked for this connection will not travel here after all (its read or send failed). */
  abandon(): void {
    this.reserved = false;
    this.acknowledged();
  }

  destroy(error?: Error): void {
    this.closed = true;
    this.socket.destroy(error);
  }
}

export function closedError(): HandoffError {
  return new HandoffError('WIRE_DISCONNECTED', 'The connection to the other end closed', {
    retryable: true,
    hint: 'The transfer resumes when the agent reconnects; check the network between HQ and the vendor.',
  });
}
