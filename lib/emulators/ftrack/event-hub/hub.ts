/**
 * The event hub: socket.io 0.9 over WebSocket, as ftrack clients expect it.
 * `GET /socket.io/1/` (credentials in the query or in `ftrack-user` /
 * `ftrack-api-key` headers) hands out a one-time session id; the client then
 * upgrades `/socket.io/1/websocket/<sid>`. The hub greets with `1::`, sends a
 * heartbeat `2::` every `heartbeatMs`, and handles `ftrack.meta.subscribe`,
 * `ftrack.meta.unsubscribe` and every other event by routing it.
 *
 * `source.user` of every event a connection publishes is the user that
 * connection authenticated as: whatever the client wrote there is replaced,
 * so a subscriber can tell who sent an event (docs/emulators.md).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { ackFrame, connectFrame, eventFrame, FRAME, heartbeatFrame, parseEventData, parseFrame } from './protocol.ts';
import { createRouter, normaliseEvent } from './router.ts';
import type { Endpoint, HubEvent, SubscriberMetadata } from './router.ts';

/** The user a connection authenticated as; stamped on what it publishes. */
export interface HubUser {
  id: string;
  username: string;
}

export interface EventHubOptions {
  /** Checks a client's credentials at the handshake: the user they belong to, or undefined. */
  authenticate(user: string, apiKey: string): HubUser | undefined;
  /** Interval between heartbeats; ftrack's JavaScript client reconnects after 15 s without one. Default 10 000. */
  heartbeatMs?: number;
  /** How long a handshake's session id stays valid for the upgrade. Default 60 000. */
  sessionTtlMs?: number;
  /** A connection that sends nothing (not even a heartbeat answer) this long is closed. Default 60 000. */
  closeTimeoutMs?: number;
}

export interface EventHubStats {
  connections: number;
  subscribers: number;
}

export interface FtrackEventHub {
  /** Answers `GET /socket.io/1/`; returns false (and leaves `res` alone) for any other request. */
  handleRequest(req: IncomingMessage, res: ServerResponse): boolean;
  /** Takes over `/socket.io/1/websocket/<sid>` upgrades; returns false for any other. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Routes an event from inside the server (e.g. `ftrack.update`) to matching subscribers. */
  publish(event: Partial<HubEvent> & { topic: string }): void;
  /** Listens in-process like a connected client would; returns the unsubscribe function. */
  subscribe(subscription: string, callback: (event: HubEvent) => void, metadata?: Partial<SubscriberMetadata>): () => void;
  stats(): EventHubStats;
  close(): Promise<void>;
}

const HANDSHAKE_PATH = /^\/socket\.io\/1\/?$/;
const SOCKET_PATH = /^\/socket\.io\/1\/websocket\/([^/?]+)\/?$/;
const MAX_PENDING_SESSIONS = 10_000;

function credentials(req: IncomingMessage, url: URL): { user: string; apiKey: string } {
  const header = (name: string): string => {
    const value = req.headers[name];
    return (Array.isArray(value) ? value[0] : value) ?? '';
  };
  return {
    user: url.searchParams.get('api_user') ?? header('ftrack-user'),
    apiKey: url.searchParams.get('api_key') ?? header('ftrack-api-key'),
  };
}

export function createEventHub(options: EventHubOptions): FtrackEventHub {
  const heartbeatMs = options.heartbeatMs ?? 10_000;
  const sessionTtlMs = options.sessionTtlMs ?? 60_000;
  const closeTimeoutMs = options.closeTimeoutMs ?? 60_000;
  const router = createRouter();
  const sessions = new Map<string, { user: HubUser; expires: number }>();
  const sockets = new Set<WebSocket>();
  const wss = new WebSocketServer({ noServer: true });

  const receive = (endpoint: Endpoint, user: HubUser, raw: unknown): { success: boolean; message: string } => {
    if (!raw || typeof raw !== 'object' || typeof (raw as { topic?: unknown }).topic !== 'string') {
      return { success: false, message: 'An event needs a topic.' };
    }
    const event = normaliseEvent(raw as HubEvent);
    const data = event.data as { subscriber?: SubscriberMetadata; subscription?: unknown };
    if (event.topic === 'ftrack.meta.subscribe') {
      if (typeof data.subscriber?.id !== 'string' || typeof data.subscription !== 'string') {
        return { success: false, message: 'A subscribe event needs data.subscriber.id and data.subscription.' };
      }
      try {
        router.subscribe(endpoint, data.subscriber, data.subscription);
      } catch (err) {
        return { success: false, message: (err as Error).message };
      }
      return { success: true, message: `Subscribed ${data.subscriber.id}.` };
    }
    if (event.topic === 'ftrack.meta.unsubscribe') {
      const id = data.subscriber?.id;
      if (typeof id === 'string') router.unsubscribe(endpoint, id);
      return { success: true, message: 'Unsubscribed.' };
    }
    event.source = { ...event.source, user: { id: user.id, username: user.username } };
    router.route(event);
    return { success: true, message: `Published ${event.id}.` };
  };

  const attach = (ws: WebSocket, user: HubUser): void => {
    sockets.add(ws);
    const endpoint: Endpoint = {
      id: randomUUID(),
      send: (event) => {
        if (ws.readyState === ws.OPEN) ws.send(eventFrame('ftrack.event', event));
      },
    };
    let lastHeard = Date.now();
    const heartbeat = setInterval(() => {
      if (Date.now() - lastHeard > closeTimeoutMs) return ws.terminate();
      if (ws.readyState === ws.OPEN) ws.send(heartbeatFrame);
    }, Math.min(heartbeatMs, closeTimeoutMs));
    heartbeat.unref();
    ws.on('message', (message) => {
      lastHeard = Date.now();
      const frame = parseFrame(message.toString());
      if (!frame) return;
      if (frame.type === FRAME.disconnect) return ws.close();
      if (frame.type !== FRAME.event) return;
      const parsed = parseEventData(frame.data);
      const outcome = parsed ? receive(endpoint, user, parsed.payload) : { success: false, message: 'Malformed event frame.' };
      if (frame.id && frame.wantsAck && ws.readyState === ws.OPEN) ws.send(ackFrame(frame.id, [outcome]));
    });
    ws.on('close', () => {
      clearInterval(heartbeat);
      router.drop(endpoint);
      sockets.delete(ws);
    });
    ws.on('error', () => ws.terminate());
    ws.send(connectFrame);
  };

  const pathOf = (req: IncomingMessage): URL => new URL(req.url ?? '/', 'http://hub.invalid');

  return {
    handleRequest(req, res) {
      const url = pathOf(req);
      if (req.method !== 'GET' || !HANDSHAKE_PATH.test(url.pathname)) return false;
      const { user, apiKey } = credentials(req, url);
      const account = user && apiKey ? options.authenticate(user, apiKey) : undefined;
      if (!account) {
        res.writeHead(401, { 'content-type': 'text/plain' });
        res.end('The supplied API key is not valid.');
        return true;
      }
      const now = Date.now();
      for (const [sid, s] of sessions) if (s.expires < now || sessions.size > MAX_PENDING_SESSIONS) sessions.delete(sid);
      const sid = randomUUID().replaceAll('-', '');
      sessions.set(sid, { user: { id: account.id, username: account.username }, expires: now + sessionTtlMs });
      const closeSeconds = Math.max(1, Math.round(closeTimeoutMs / 1000));
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(`${sid}:${closeSeconds}:${closeSeconds}:websocket`);
      return true;
    },

    handleUpgrade(req, socket, head) {
      const match = SOCKET_PATH.exec(pathOf(req).pathname);
      if (!match) return false;
      const session = sessions.get(match[1] ?? '');
      sessions.delete(match[1] ?? '');
      if (!session || session.expires < Date.now()) {
        socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return true;
      }
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws, session.user));
      return true;
    },

    publish(event) {
      router.route(normaliseEvent(event));
    },

    subscribe(subscription, callback, metadata = {}) {
      const endpoint: Endpoint = { id: randomUUID(), send: callback };
      router.subscribe(endpoint, { ...metadata, id: metadata.id ?? randomUUID() }, subscription);
      return () => router.drop(endpoint);
    },

    stats() {
      return { connections: sockets.size, subscribers: router.subscriberCount() };
    },

    async close() {
      sessions.clear();
      const closed = [...sockets].map(
        (ws) => new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.terminate();
        }),
      );
      await Promise.all(closed);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
