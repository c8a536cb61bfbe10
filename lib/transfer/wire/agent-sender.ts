/**
 * The agent's sending side (vendor → HQ uploads): HQ names the file and the
 * chunks it still needs; the agent reads them inside its root, hashes them and
 * streams them over its data connections. The answer carries every chunk's hash
 * (the manifest) so HQ can verify the whole file, resumed chunks included.
 */
import { chunkBuffers } from './buffer-pool.ts';
import { hashChunk } from './chunk-hash.ts';
import type { Confiner } from './confine.ts';
import { closedError } from './frames.ts';
import type { FrameSocket, Head } from './frames.ts';
import { WINDOW_BYTES, chunksPerStream } from './streams.ts';
import type { PickRequest, StreamPicker } from './picker.ts';
import { chunkCount } from './receiver.ts';
import type { WireFailure } from './receiver.ts';
import { listTree, openSource, readChunk, readSmallInto, smallFilesBuffer } from './source.ts';
import { isHandoffError } from '../../core/errors.ts';
import { toTransferError } from '../local/errors.ts';
import type { FilePlan, ListRequest } from '../transport.ts';
import { packListing, toListing } from './plans.ts';

export interface PushRequest {
  fid: number;
  source: string;
  size: number;
  mtimeMs: number;
  chunkSize: number;
  /** Chunk indexes HQ still needs. */
  chunks: number[];
  /** Spare copies of chunks already sent once: no manifest wanted. */
  spare?: boolean;
}

export interface PushSmallRequest {
  id: number;
  files: { source: string; size: number; mtimeMs: number }[];
  /** The batch goes on one of the first this many data connections (HQ spreads short bursts wider). */
  streams?: number;
  /** A spare copy of a batch already sent once: it goes only on a stream with nothing unanswered. */
  spare?: boolean;
}

/** Which data connections may carry a frame: `perStream` unanswered at most, among the first `among`. */
type Room = Omit<PickRequest, 'signal' | 'timeoutMs'>;

export class AgentSender {
  private readonly root: string;
  private readonly confiner: Confiner;
  private readonly picker: StreamPicker;
  private readonly session: () => string | undefined;

  private readonly chunkStreams: () => number;

  /**
   * `session` names the current session with HQ: a push carries on only within
   * the one it began in. `chunkStreams` is how many of the data connections
   * carry large files (HQ's governed count).
   */
  constructor(root: string, confiner: Confiner, picker: StreamPicker, session: () => string | undefined, chunkStreams: () => number) {
    this.root = root;
    this.confiner = confiner;
    this.picker = picker;
    this.session = session;
    this.chunkStreams = chunkStreams;
  }

  /** Each request's files, packed (see plans.ts). */
  async list(requests: ListRequest[]): Promise<{ z: string }> {
    const plans: FilePlan[][] = [];
    for (const request of requests) plans.push(await listTree(this.root, [request]));
    return packListing(toListing(requests, plans));
  }

  async push(request: PushRequest): Promise<{ hashes: string[] }> {
    const session = this.session();
    const plan = { taskId: '', source: request.source, destination: request.source, size: request.size, mtimeMs: request.mtimeMs };
    const handle = await openSource(await this.confiner.resolve(request.source, false), plan);
    try {
      const hashes = new Array<string>(chunkCount(request.size, request.chunkSize));
      const wanted = new Set(request.chunks);
      const queue = [...wanted].filter((index) => index >= 0 && index < hashes.length);
      const worker = async (): Promise<void> => {
        for (let index = queue.shift(); index !== undefined; index = queue.shift()) {
          // A spare goes only on a stream with nothing unanswered: never behind the copy that is stuck.
          await this.send(session, { perStream: request.spare ? 1 : chunksPerStream(request.chunkSize), among: this.chunkStreams() }, async () => {
            const body = await readChunk(handle, index, request.chunkSize, request.size);
            const hash = hashChunk(body);
            hashes[index] = hash;
            return { head: { t: 'c', f: request.fid, i: index, h: hash }, body: [body] };
          });
        }
      };
      // As many chunks as the memory window holds: each waits for a stream with room before it is
      // read, so streams HQ adds mid-file are put to work at once.
      const workers = Math.max(2, Math.floor(WINDOW_BYTES / request.chunkSize));
      await Promise.all(Array.from({ length: workers }, worker));
      if (request.spare) return { hashes: [] };
      for (let index = 0; index < hashes.length; index++) {
        if (wanted.has(index)) continue;
        const body = await readChunk(handle, index, request.chunkSize, request.size);
        hashes[index] = hashChunk(body);
        chunkBuffers.give(body);
      }
      return { hashes };
    } finally {
      await handle.close();
    }
  }

  async pushSmall(request: PushSmallRequest): Promise<Record<string, never>> {
    const session = this.session();
    const entries: ({ s: number; m: number; h: string } | { e: WireFailure })[] = [];
    // One buffer for the whole batch, read back to back (handed back to the pool once sent).
    const batch = smallFilesBuffer(request.files);
    let bytes = 0;
    for (const file of request.files) {
      try {
        const plan = { taskId: '', source: file.source, destination: file.source, size: file.size, mtimeMs: file.mtimeMs };
        const resolved = this.confiner.resolve(file.source, false);
        const body = readSmallInto(typeof resolved === 'string' ? resolved : await resolved, plan, batch, bytes);
        entries.push({ s: body.length, m: file.mtimeMs, h: hashChunk(body) });
        bytes += body.length;
      } catch (err) {
        const error = toTransferError(err, file.source);
        entries.push({ e: { code: error.code, message: error.message, retryable: error.retryable } });
      }
    }
    const room = { perStream: request.spare ? 1 : chunksPerStream(bytes), among: request.streams ?? this.chunkStreams() };
    await this.send(session, room, async () => ({ head: { t: 'b', id: request.id, files: entries }, body: [batch.subarray(0, bytes)] }));
    return {};
  }

  /** A data connection of `session` with room (see StreamPicker); waits while that session lasts (up to ten minutes). */
  private async pickStream(session: string | undefined, room: Room): Promise<FrameSocket> {
    for (let minute = 0; minute < 10 && session !== undefined; minute++) {
      const socket = await this.picker.pick({ ...room, timeoutMs: 60_000 });
      if (socket && this.session() === session) return socket;
      socket?.abandon();
      if (this.session() !== session) break;
    }
    throw closedError();
  }

  /**
   * Sends a bulk frame on a data connection with room (HQ acknowledges it with a
   * `k` frame); the frame is built only once a connection is free, so only
   * chunks that can leave at once are held in memory.
   */
  private async send(session: string | undefined, room: Room, build: () => Promise<{ head: Head; body: Buffer[] }>): Promise<void> {
    let frame: { head: Head; body: Buffer[] } | undefined;
    for (let attempt = 0; ; attempt++) {
      const socket = await this.pickStream(session, room);
      try {
        frame ??= await build();
        await socket.send(frame.head, ...frame.body);
        for (const part of frame.body) chunkBuffers.give(part);
        return;
      } catch (err) {
        socket.abandon();
        // The data connection closed under this frame: try another one while any is left.
        if (!isHandoffError(err, 'WIRE_DISCONNECTED') || attempt >= 3) throw err;
      }
    }
  }
}
