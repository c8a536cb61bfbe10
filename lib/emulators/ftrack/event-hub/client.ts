/**
 * A small event hub client over the same wire as ftrack's own clients:
 * handshake, WebSocket, heartbeat answers, `5:::` events. The web-UI harness
 * uses it so it can drive any emulator by URL, in-process or not.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { HandoffError } from '../../../core/errors.ts';
import { matches, parseExpression } from './expression.ts';
import { eventFrame, FRAME, heartbeatFrame, parseEventData, parseFrame } from './protocol.ts';
import type { HubEvent, SubscriberMetadata } from './router.ts';

export interface HubClientOptions {
  serverUrl: string;
  user: string;
  apiKey: string;
  /** Bound on the handshake and WebSocket open. Default 10 000 ms. */
  timeoutMs?: number;
}

export interface HubClient {
  publish(event: Partial<HubEvent> & { topic: string }): HubEvent;
  /** Registers with the hub and calls back for each matching event; returns the subscriber id. */
  subscribe(subscription: string, callback: (event: HubEvent) => void, metadata?: Partial<SubscriberMetadata>): string;
  unsubscribe(subscriberId: string): void;
  close(): Promise<void>;
}

function unavailable(serverUrl: string, cause: unknown): HandoffError {
  return new HandoffError('FTRACK_UNAVAILABLE', `Cannot connect to the ftrack event hub at ${serverUrl}.`, {
    cause,
    retryable: true,
    hint: 'Check that the server is running and the URL, user and API key are right.',
    details: { serverUrl },
  });
}

export async function connectHubClient(options: HubClientOptions): Promise<HubClient> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = options.serverUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({ api_user: options.user, api_key: options.apiKey }).toString();
  let sid: string;
  try {
    const response = await fetch(`${base}/socket.io/1/?${query}`, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    if (!response.ok) throw new Error(`handshake answered ${response.status}: ${text}`);
    sid = text.split(':')[0] ?? '';
  } catch (err) {
    throw unavailable(options.serverUrl, err);
  }
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/socket.io/1/websocket/${sid}?${query}`);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(unavailable(options.serverUrl, new Error('WebSocket open timed out'))), timeoutMs);
    ws.once('open', () => (clearTimeout(timer), resolve()));
    ws.once('error', (err) => (clearTimeout(timer), reject(unavailable(options.serverUrl, err))));
  });

  const subscribers = new Map<string, { expression: ReturnType<typeof parseExpression>; callback: (event: HubEvent) => void }>();
  const hubId = randomUUID();
  const send = (event: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(eventFrame('ftrack.event', event));
  };
  ws.on('message', (message) => {
    const frame = parseFrame(message.toString());
    if (frame?.type === FRAME.heartbeat) return ws.send(heartbeatFrame);
    if (frame?.type !== FRAME.event) return;
    const parsed = parseEventData(frame.data);
    if (!parsed || !parsed.payload || typeof parsed.payload !== 'object') return;
    const event = parsed.payload as HubEvent;
    for (const s of [...subscribers.values()]) if (matches(s.expression, event)) s.callback(event);
  });

  return {
    publish(input) {
      const event: HubEvent = {
        id: randomUUID(),
        target: '',
        inReplyToEvent: null,
        data: {},
        ...input,
        source: { id: hubId, user: { username: options.user }, ...input.source },
      };
      send(event);
      return event;
    },
    subscribe(subscription, callback, metadata = {}) {
      const id = metadata.id ?? randomUUID();
      subscribers.set(id, { expression: parseExpression(subscription), callback });
      send({ topic: 'ftrack.meta.subscribe', id: randomUUID(), data: { subscriber: { ...metadata, id }, subscription }, target: '', source: { id: hubId } });
      return id;
    },
    unsubscribe(subscriberId) {
      subscribers.delete(subscriberId);
      send({ topic: 'ftrack.meta.unsubscribe', id: randomUUID(), data: { subscriber: { id: subscriberId } }, target: '', source: { id: hubId } });
    },
    async close() {
      subscribers.clear();
      if (ws.readyState === ws.CLOSED) return;
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };
}
