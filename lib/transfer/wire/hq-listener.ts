/**
 * The HQ listener: one TLS 1.3 port for enrolment, control and data connections.
 * A connection without a client certificate may only enrol (one-time code); any
 * other connection must present a certificate signed by HQ's CA whose
 * fingerprint is pinned for its vendor. The first frame says what it is.
 * Until the certificate is found pinned, a connection may send one small frame
 * (an enrolment a few small ones), and few such connections may be open, briefly.
 */
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { HandoffError, toHandoffError } from '../../core/errors.ts';
import { guardConnections } from './anonymous.ts';
import { FrameSocket, PRE_AUTH_LIMITS } from './frames.ts';
import type { Frame } from './frames.ts';
import { fingerprint, fingerprintOf, signAgentKey } from './identity.ts';
import type { HqIdentity } from './identity.ts';
import { hashCode } from './registry.ts';
import type { AgentRegistry } from './registry.ts';
import { Rpc } from './rpc.ts';
import { AgentSession, offline } from './session.ts';
import { MAX_STREAMS, StreamGovernor, spreadStreamsForRoundTrip, standingQueue, streamsForRoundTrip } from './streams.ts';
import { TLS_OPTIONS, tuneSocket } from './tuning.ts';

export interface HqListenerOptions {
  host?: string | undefined;
  port?: number | undefined;
  identity: HqIdentity;
  registry: AgentRegistry;
  /** Data connections per agent: a number, or `auto` to pick from the measured round trip. */
  streams?: number | 'auto' | undefined;
  onAgent?: ((session: AgentSession) => void) | undefined;
  /** Each measured period of an `auto` session whose stream count is still climbing (for logs and diagnostics). */
  onStreams?: ((step: StreamStep) => void) | undefined;
}

export interface StreamStep {
  vendor: string;
  /** File bytes per second moved in the period. */
  goodput: number;
  streams: number;
  /** The count asked for next (equal to `streams` when it stays). */
  next: number;
  /** Round trips in the period stood clearly above the idle link's: the link is full. */
  queued: boolean;
}

export interface HqListener {
  readonly url: string;
  readonly port: number;
  /** A one-time enrolment code for a vendor (valid `ttlMs`, default 24 h). */
  createEnrolmentCode(vendor: string, options?: { ttlMs?: number }): Promise<string>;
  /** An open session of one of the vendor's agents (several may be online). */
  session(vendor: string): AgentSession | undefined;
  /** Closes the session of one agent, e.g. after it was revoked (it is refused when it dials again). */
  disconnectAgent(vendor: string, fingerprint: string): void;
  waitForAgent(vendor: string, options: { signal?: AbortSignal | undefined; timeoutMs: number }): Promise<AgentSession>;
  /** Calls `listener` with each agent session once it is ready; returns the way to stop. */
  onReady(listener: (session: AgentSession) => void): () => void;
  /** Closes every agent connection (they reconnect by themselves). */
  disconnectAll(): void;
  close(): Promise<void>;
}

const FIRST_FRAME_MS = 10_000;
const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** Connections not yet authenticated (or enrolling): how many at once (an agent may open many data connections together), and for how long. */
const ANONYMOUS = { max: 256, timeoutMs: 15_000 };

export async function createHqListener(options: HqListenerOptions): Promise<HqListener> {
  const { identity, registry } = options;
  const sessions = new Map<string, AgentSession>();
  const waiters = new Set<() => void>();
  const readyListeners = new Set<(session: AgentSession) => void>();
  const sockets = new Set<tls.TLSSocket>();
  const caFingerprint = fingerprint(identity.caCert);

  const server = tls.createServer({
    key: identity.key,
    cert: `${identity.cert.trim()}\n${identity.caCert.trim()}\n`,
    ca: [identity.caCert],
    requestCert: true,
    rejectUnauthorized: false,
    handshakeTimeout: FIRST_FRAME_MS,
    ...TLS_OPTIONS,
  });
  const anonymous = guardConnections(server, ANONYMOUS);
  server.on('tlsClientError', () => undefined);
  server.on('secureConnection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    tuneSocket(socket);
    void accept(socket).catch(() => socket.destroy());
  });

  async function accept(socket: tls.TLSSocket): Promise<void> {
    const first = await firstFrame(socket);
    if (!socket.authorized) {
      if (first.frame.head.t !== 'enrol-hello') return refuse(first.framed, 'WIRE_UNAUTHORISED', 'A certificate signed by HQ is required');
      first.handoff(
        (frame) => (frame.head.t === 'enrol' ? enrol(first.framed, frame) : refuse(first.framed, 'WIRE_PROTOCOL', 'Expected an enrolment')),
        () => undefined,
      );
      first.framed.release(PRE_AUTH_LIMITS);
      await first.framed.send({ t: 'ca', caCert: identity.caCert });
      return;
    }
    const peer = socket.getPeerCertificate();
    const vendor = peer.subject?.CN;
    const agentKey = fingerprintOf(peer.raw);
    if (typeof vendor !== 'string' || !(await registry.isPinned(vendor, agentKey))) {
      const revoked = typeof vendor === 'string' ? await registry.agentOf?.(vendor, agentKey) : undefined;
      if (revoked?.revokedAt) return refuse(first.framed, 'WIRE_AGENT_REVOKED', `This agent (${revoked.name} of ${vendor}) was revoked at HQ on ${revoked.revokedAt.toISOString()}`);
      return refuse(first.framed, 'WIRE_UNAUTHORISED', 'This agent certificate is not (or no longer) enrolled');
    }
    anonymous.authenticated(socket);
    // The peer is known: the frames it sent after the first are read now, at full size.
    const handoff: Handoff = (onFrame, onClose) => {
      first.handoff(onFrame, onClose);
      first.framed.release();
    };
    const head = first.frame.head;
    if (head.t === 'hello' && head.role === 'control') return startSession(vendor, agentKey, first.framed, handoff);
    if (head.t === 'hello' && head.role === 'data') {
      const session = sessions.get(agentKey);
      if (!session || session.id !== head.session) return refuse(first.framed, 'WIRE_UNKNOWN_SESSION', 'No such session');
      handoff((frame) => session.dispatch(frame, first.framed), () => session.detach(first.framed));
      session.attach(first.framed);
      return;
    }
    return refuse(first.framed, 'WIRE_PROTOCOL', 'Unexpected first frame');
  }

  /** One session per agent, keyed by its certificate's fingerprint. */
  async function startSession(vendor: string, agentKey: string, control: FrameSocket, handoff: Handoff): Promise<void> {
    sessions.get(agentKey)?.close();
    const rpc = new Rpc(control, async (op) => {
      throw new HandoffError('WIRE_PROTOCOL', `HQ does not serve "${op}"`);
    });
    const session = new AgentSession(vendor, randomBytes(16).toString('hex'), control, rpc);
    session.agentKey = agentKey;
    sessions.set(agentKey, session);
    handoff(
      (frame) => void rpc.handle(frame),
      () => {
        session.close();
        if (sessions.get(agentKey) === session) sessions.delete(agentKey);
      },
    );
    const streams = options.streams ?? 'auto';
    session.wantedStreams = streams === 'auto' ? 2 : streams;
    await control.send({ t: 'welcome', session: session.id, streams: session.wantedStreams });
    let rtt = Infinity;
    for (let probe = 0; probe < 3; probe++) {
      const started = performance.now();
      await session.request('ping', {}, 30_000);
      rtt = Math.min(rtt, performance.now() - started);
    }
    session.rttMs = rtt;
    if (streams === 'auto') {
      session.spreadStreams = spreadStreamsForRoundTrip(rtt);
      await session.setStreams(streamsForRoundTrip(rtt));
      // A LAN is CPU-bound: more streams only cost. Longer links climb while it pays.
      if (rtt >= 5) governStreams(session, options.onStreams);
    }
    session.ready = true;
    for (const wake of [...waiters]) wake();
    options.onAgent?.(session);
    for (const listener of [...readyListeners]) listener(session);
  }

  async function enrol(framed: FrameSocket, frame: Frame): Promise<void> {
    const code = String(frame.head.code ?? '');
    const [, secret = '', expected = ''] = code.split('.');
    const vendor = expected === caFingerprint ? await registry.takeCode(hashCode(secret), Date.now()) : undefined;
    if (!vendor) return refuse(framed, 'WIRE_ENROL_REFUSED', 'The enrolment code is unknown, expired or already used');
    const name = frame.head.name === undefined ? undefined : String(frame.head.name);
    if (name !== undefined && !AGENT_NAME.test(name)) return refuse(framed, 'WIRE_ENROL_REFUSED', `"${name}" is not an agent name: letters, digits, ".", "_" or "-", up to 64`);
    const cert = await signAgentKey(identity, vendor, String(frame.head.publicKey ?? ''));
    const replace = typeof frame.head.replace === 'string' ? frame.head.replace : undefined;
    try {
      await registry.pin(vendor, fingerprint(cert), name === undefined ? undefined : { name, replace });
    } catch (err) {
      const error = toHandoffError(err, 'WIRE_ENROL_REFUSED');
      return refuse(framed, error.code, error.message);
    }
    if (replace !== undefined) for (const session of [...sessions.values()].filter((s) => s.vendor === vendor)) void closeIfRevoked(session);
    await framed.send({ t: 'enrolled', vendor, cert, caCert: identity.caCert, ...(name === undefined ? {} : { name }) });
    framed.socket.end();
  }

  /** An open session of the vendor's agents; with `ready`, one that can carry data now. */
  function sessionOf(vendor: string, ready = false): AgentSession | undefined {
    for (const session of sessions.values()) {
      if (session.vendor === vendor && session.isOpen && (!ready || (session.ready && session.streams > 0))) return session;
    }
    return undefined;
  }

  /** Closes a session whose key is no longer enrolled (its agent was replaced). */
  async function closeIfRevoked(session: AgentSession): Promise<void> {
    const agentKey = [...sessions.entries()].find(([, s]) => s === session)?.[0];
    if (agentKey && !(await registry.isPinned(session.vendor, agentKey))) session.close();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';

  return {
    url: `handoff://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
    port: address.port,
    async createEnrolmentCode(vendor, codeOptions = {}) {
      const secret = randomBytes(24).toString('base64url');
      await registry.saveCode(hashCode(secret), vendor, Date.now() + (codeOptions.ttlMs ?? 24 * 3600 * 1000));
      return `hoff1.${secret}.${caFingerprint}`;
    },
    session: (vendor) => sessionOf(vendor),
    disconnectAgent(vendor, agentKey) {
      const session = sessions.get(agentKey);
      if (session?.vendor === vendor) session.close();
    },
    waitForAgent(vendor, { signal, timeoutMs }) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const session = sessionOf(vendor, true);
          if (session) {
            finish();
            resolve(session);
            return true;
          }
          if (signal?.aborted) {
            finish();
            reject(signal.reason as Error);
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          finish();
          reject(offline(vendor));
        }, timeoutMs);
        const poll = setInterval(check, 50);
        const finish = (): void => {
          clearTimeout(timer);
          clearInterval(poll);
          waiters.delete(wake);
          signal?.removeEventListener('abort', wake);
        };
        const wake = (): void => void check();
        if (check()) return;
        waiters.add(wake);
        signal?.addEventListener('abort', wake);
      });
    },
    onReady(listener) {
      readyListeners.add(listener);
      return () => readyListeners.delete(listener);
    },
    disconnectAll() {
      for (const session of sessions.values()) session.close();
      for (const socket of sockets) socket.destroy();
    },
    async close() {
      for (const session of sessions.values()) session.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Feeds the session's goodput to a StreamGovernor once per period (ten round
 * trips, 1–2 s) and asks the agent for the streams it answers, until the climb
 * ends (once per session: the agent reconnects when its network changes).
 * While busy it pings five times a period: the median round trip, against the
 * idle link's, tells whether the bottleneck holds a standing queue (the median,
 * as one ping may slip through while the queue drains after a loss).
 */
function governStreams(session: AgentSession, report: ((step: StreamStep) => void) | undefined): void {
  const governor = new StreamGovernor({ initial: session.wantedStreams, max: MAX_STREAMS });
  const periodMs = Math.min(2_000, Math.max(1_000, session.rttMs * 10));
  let idleMs = session.rttMs;
  let roundTrips: number[] = [];
  let lastBytes = session.movedBytes;
  let lastAt = performance.now();
  const pinger = setInterval(() => {
    if (session.busyFrom === undefined) return;
    const started = performance.now();
    session.request('ping', {}, periodMs).then(
      () => roundTrips.push(performance.now() - started),
      () => undefined,
    );
  }, periodMs / 5);
  const timer = setInterval(() => {
    const now = performance.now();
    const bytes = session.movedBytes - lastBytes;
    const busyFrom = session.busyFrom;
    if (busyFrom !== undefined && busyFrom <= lastAt && bytes > 0) {
      const goodput = (bytes * 1000) / (now - lastAt);
      const queued = standingQueue(idleMs, median(roundTrips));
      const next = governor.busy(goodput, queued);
      report?.({ vendor: session.vendor, goodput, streams: session.wantedStreams, next, queued });
      if (next !== session.wantedStreams) void session.setStreams(next).catch(() => undefined);
    } else {
      governor.idle();
    }
    // A round trip below the one measured at connect is the idle link's too.
    idleMs = Math.min(idleMs, ...roundTrips);
    roundTrips = [];
    lastBytes = session.movedBytes;
    lastAt = now;
    if (!governor.climbing) stop();
  }, periodMs);
  const stop = (): void => {
    clearInterval(timer);
    clearInterval(pinger);
  };
  timer.unref();
  pinger.unref();
  session.onClose(stop);
}

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

type Handoff = (onFrame: (frame: Frame) => void | Promise<void>, onClose: () => void) => void;

/** Waits for the first frame, then lets the caller take over the connection's frames. */
function firstFrame(socket: tls.TLSSocket): Promise<{ frame: Frame; framed: FrameSocket; handoff: Handoff }> {
  return new Promise((resolve, reject) => {
    let onFrame: ((frame: Frame) => void | Promise<void>) | undefined;
    let onClose: (() => void) | undefined;
    let first: Frame | undefined;
    let closed = false;
    const early: Frame[] = [];
    const timer = setTimeout(() => framed.destroy(new Error('no first frame')), FIRST_FRAME_MS);
    const handoff: Handoff = (frames, whenClosed) => {
      onFrame = frames;
      onClose = whenClosed;
      for (const frame of early.splice(0)) void frames(frame);
      if (closed) whenClosed();
    };
    const framed: FrameSocket = new FrameSocket(
      socket,
      (frame) => {
        if (onFrame) return onFrame(frame);
        if (first) {
          if (early.length > 16) framed.destroy(new Error('too many frames before the session started'));
          early.push(frame);
          return undefined;
        }
        first = frame;
        clearTimeout(timer);
        resolve({ frame, framed, handoff });
        return undefined;
      },
      () => {
        closed = true;
        clearTimeout(timer);
        onClose?.();
        if (!first) reject(new Error('closed before the first frame'));
      },
    );
    framed.hold(1, PRE_AUTH_LIMITS);
  });
}

async function refuse(framed: FrameSocket, code: string, message: string): Promise<void> {
  await framed.send({ t: 'refused', code, message }).catch(() => undefined);
  framed.socket.end();
}
