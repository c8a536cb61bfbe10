/**
 * The vendor agent: dials out to HQ (the vendor opens no port), keeps one
 * control connection and as many data connections as HQ asks for, and serves
 * HQ's requests on its root: list, receive (prepare / chunks / finish, small
 * batches) and send (push chunks, push small batches). It reconnects by itself.
 */
import tls from 'node:tls';
import { HandoffError } from '../../core/errors.ts';
import { toTransferError } from '../local/errors.ts';
import { loadChunkHash } from './chunk-hash.ts';
import { createConfiner } from './confine.ts';
import { FrameSocket } from './frames.ts';
import type { Frame, OnRead } from './frames.ts';
import type { AgentCredentials } from './identity.ts';
import { FileReceiver } from './receiver.ts';
import { answerHeld, setAside, vendorLanding } from './agent-held.ts';
import { HeldFiles } from './held.ts';
import { Rpc } from './rpc.ts';
import { AgentSender } from './agent-sender.ts';
import { StreamPicker } from './picker.ts';
import { MAX_STREAMS } from './streams.ts';
import { TLS_OPTIONS, tuneSocket } from './tuning.ts';

export interface AgentOptions {
  hqUrl: string;
  credentials: AgentCredentials;
  /** The vendor's root folder: everything HQ reads or writes stays inside it. */
  root: string;
  onStatus?: ((status: AgentStatus) => void) | undefined;
  /** Files HQ starts and finishes moving through this agent (for status displays). */
  onActivity?: ((activity: AgentActivity) => void) | undefined;
  /** Where the agent keeps its record of the files it put in place (`handoff agent run`: its home); in memory without. */
  stateDir?: string | undefined;
}

export type AgentActivity =
  | { type: 'receiving'; id: number; path: string; size: number }
  | { type: 'received'; id: number }
  | { type: 'dropped'; id: number }
  | { type: 'batch-received'; files: number; bytes: number }
  | { type: 'sending'; path: string }
  | { type: 'disk-full'; path: string; needed: number; free: number }
  | { type: 'set-aside'; path: string; asideAs: string };

export type AgentStatus =
  | { state: 'connected'; session: string }
  | { state: 'disconnected'; error?: string | undefined }
  | { state: 'refused'; code: string; message: string };

export interface Agent {
  readonly connected: boolean;
  /** Resolves once connected (now or later); rejects after `timeoutMs`. */
  whenConnected(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

const BACKOFF_MIN_MS = 100;
const BACKOFF_MAX_MS = 3_000;

export function parseHqUrl(url: string): { host: string; port: number } {
  const match = /^(?:handoff|tls):\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(url);
  if (!match) {
    throw new HandoffError('WIRE_BAD_URL', `Not an HQ address: ${url}`, { hint: 'Use handoff://HOST:PORT as printed by HQ.' });
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
}

export async function connectAgent(options: AgentOptions): Promise<Agent> {
  await loadChunkHash();
  const { host, port } = parseHqUrl(options.hqUrl);
  const { credentials } = options;
  const confiner = createConfiner(options.root);
  const held = await HeldFiles.open(options.stateDir);
  const landing = vendorLanding(options.root, held, (full) => options.onActivity?.({ type: 'disk-full', ...full }));
  let closed = false;
  let control: FrameSocket | undefined;
  let data: FrameSocket[] = [];
  let session: string | undefined;
  let backoff = BACKOFF_MIN_MS;
  let retryTimer: NodeJS.Timeout | undefined;
  const waiters = new Set<() => void>();
  const newReceiver = (): FileReceiver =>
    new FileReceiver(
      (relative, again) => confiner.resolve(relative, true, again),
      (fid) => options.onActivity?.({ type: 'received', id: fid }),
      landing,
    );
  let receiver = newReceiver();
  // Data connections that have said hello: only those may carry frames (HQ reads the first as the hello).
  const greeted = new WeakSet<FrameSocket>();
  const picker = new StreamPicker(
    () => data.filter((socket) => greeted.has(socket)),
    () => session !== undefined,
  );
  // Of the data connections HQ asks for, the first `chunkStreams` carry large files; the rest are for bursts of small ones.
  let chunkStreams = Infinity;
  const sender = new AgentSender(options.root, confiner, picker, () => session, () => chunkStreams);

  // One TLS context for every connection: a long link has hundreds of data connections.
  const secureContext = tls.createSecureContext({ key: credentials.key, cert: credentials.cert, ca: [credentials.caCert], ...TLS_OPTIONS });
  const dial = (onread: OnRead): tls.TLSSocket => {
    // `onread` is a net.Socket option that TLS sockets honour; Node's typings leave it out of ConnectionOptions.
    const options = { host, port, secureContext, ...TLS_OPTIONS, checkServerIdentity: () => undefined, onread } as tls.ConnectionOptions;
    const socket = tls.connect(options);
    tuneSocket(socket);
    return socket;
  };

  const status = (next: AgentStatus): void => options.onStatus?.(next);

  function connect(): void {
    if (closed) return;
    const framed = FrameSocket.dial(
      dial,
      (frame) => {
        if (frame.head.t === 'welcome') {
          session = String(frame.head.session);
          backoff = BACKOFF_MIN_MS;
          chunkStreams = Infinity;
          setStreams(Number(frame.head.streams) || 2);
          status({ state: 'connected', session });
          for (const wake of [...waiters]) wake();
          return;
        }
        if (frame.head.t === 'refused') {
          const code = String(frame.head.code);
          status({ state: 'refused', code, message: String(frame.head.message) });
          if (code === 'WIRE_UNAUTHORISED' || code === 'WIRE_AGENT_REVOKED') closed = true;
          return;
        }
        rpc.handle(frame);
      },
      () => {
        rpc.closeAll();
        if (control === framed) disconnect();
      },
    );
    const rpc = new Rpc(framed, serve);
    control = framed;
    framed.socket.once('secureConnect', () => void framed.send({ t: 'hello', role: 'control', version: 1 }).catch(() => undefined));
  }

  function disconnect(): void {
    control = undefined;
    session = undefined;
    for (const socket of data) socket.destroy();
    data = [];
    void receiver.dropAll();
    receiver = newReceiver();
    status({ state: 'disconnected' });
    if (closed) return;
    retryTimer = setTimeout(connect, backoff);
    backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
  }

  function setStreams(count: number): void {
    const wanted = Math.max(1, Math.min(MAX_STREAMS, Math.trunc(count)));
    data = data.filter((socket) => socket.isOpen);
    while (data.length > wanted) data.pop()!.socket.end();
    while (data.length < wanted && session) data.push(openData(session));
    picker.wake();
  }

  function openData(id: string): FrameSocket {
    const framed: FrameSocket = FrameSocket.dial(
      dial,
      (frame) => onData(frame, framed),
      () => {
        data = data.filter((other) => other !== framed);
      },
    );
    framed.onFree = () => picker.wake();
    framed.socket.once('secureConnect', () => {
      framed.send({ t: 'hello', role: 'data', session: id }).then(
        () => {
          greeted.add(framed);
          picker.wake();
        },
        () => undefined,
      );
    });
    return framed;
  }

  async function onData(frame: Frame, socket: FrameSocket): Promise<void> {
    const head = frame.head;
    if (head.t === 'k') {
      socket.acknowledged();
    } else if (head.t === 'c' && frame.body) {
      const { failure, finished } = await receiver.chunk(Number(head.f), Number(head.i), String(head.h), frame.body);
      const answer = { t: 'a', f: head.f, i: head.i, ...(failure ? { e: failure } : {}), ...(finished ? { d: 1 } : {}) };
      await socket.send(answer).catch(() => undefined);
    } else if (head.t === 'b') {
      const { results, copy } = await receiver.batch(Number(head.id), head.files as never, frame.body ?? Buffer.alloc(0));
      if (!copy) options.onActivity?.({ type: 'batch-received', files: results.filter((r) => r === null).length, bytes: frame.body?.length ?? 0 });
      await socket.send({ t: 'ba', id: head.id, r: results }).catch(() => undefined);
    }
  }

  async function serve(op: string, payload: Record<string, unknown>): Promise<unknown> {
    try {
      return await answer(op, payload);
    } catch (err) {
      throw toTransferError(err, String(payload.destination ?? payload.source ?? op));
    }
  }

  async function answer(op: string, payload: Record<string, unknown>): Promise<unknown> {
    switch (op) {
      case 'ping':
        return {};
      case 'streams':
        chunkStreams = Number(payload.chunks) > 0 ? Number(payload.chunks) : Infinity;
        setStreams(Number(payload.count));
        return { streams: data.length };
      case 'list':
        return sender.list(payload.requests as never);
      case 'prepare': {
        const prepared = await receiver.prepare(payload as never);
        options.onActivity?.({ type: 'receiving', id: Number(payload.fid), path: String(payload.destination), size: Number(payload.size) });
        return prepared;
      }
      case 'finish':
        return receiver.finish(payload as never);
      case 'drop':
        await receiver.drop(Number(payload.fid));
        options.onActivity?.({ type: 'dropped', id: Number(payload.fid) });
        return {};
      case 'push':
        options.onActivity?.({ type: 'sending', path: String(payload.source) });
        return sender.push(payload as never);
      case 'pushSmall':
        return sender.pushSmall(payload as never);
      case 'held':
        return answerHeld(confiner, held, payload);
      case 'setAside': {
        const moved = await setAside(confiner, held, payload.paths);
        (payload.paths as string[]).forEach((from, at) => moved[at] && options.onActivity?.({ type: 'set-aside', path: from, asideAs: moved[at] }));
        return { moved };
      }
      default:
        throw new HandoffError('WIRE_PROTOCOL', `The agent does not serve "${op}"`);
    }
  }

  connect();
  return {
    get connected() {
      return session !== undefined;
    },
    whenConnected(timeoutMs) {
      if (session !== undefined) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new HandoffError('TRANSFER_AGENT_OFFLINE', `Could not reach HQ at ${options.hqUrl}`, { retryable: true }));
        }, timeoutMs);
        const wake = (): void => {
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        waiters.add(wake);
      });
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      control?.destroy();
      for (const socket of data) socket.destroy();
      await receiver.dropAll();
      await held.flush();
    },
  };
}
