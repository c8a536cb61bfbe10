/**
 * A small event hub client over the same wire as ftrack's own clients:
 * handshake, WebSocket, heartbeat answers, `5:::` events. The web-UI harness
 * uses it so it can drive any emulator by URL, in-process or not.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { HandoffError, isHandoffError } from '../../../core/errors.ts';
import { matches, parseExpression } from './expression.ts';
import type { Expression } from './expression.ts';
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
  /**
   * Registers with the hub and calls back for each matching event (whose target, if any, matches
   * the metadata); resolves with the subscriber id once the hub has acknowledged it.
   */
  subscribe(subscription: string, callback: (event: HubEvent) => void, metadata?: Partial<SubscriberMetadata>): Promise<string>;
  unsubscribe(subscriberId: string): void;
  /** Resolves once the hub has handled everything this client sent, and this client has received what the hub sent before. */
  sync(): Promise<void>;
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

/** Bad credentials are final: trying again cannot help. */
function refused(serverUrl: string, message: string): HandoffError {
  return new HandoffError('FTRACK_AUTH_FAILED', `The ftrack event hub at ${serverUrl} refused the API user and key: ${message}`, {
    hint: 'Use the user and API key the server (or `handoff emulate ftrack`) printed.',
    details: { serverUrl },
  });
}

function safeParse(text: string): Expression | undefined {
  try {
    return parseExpression(text);
  } catch {
    return undefined;
  }
}

export async function connectHubClient(options: HubClientOptions): Promise<HubClient> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const base = options.serverUrl.replace(/\/+$/, '');
  const query = new URLSearchParams({ api_user: options.user, api_key: options.apiKey }).toString();
  let sid: string;
  try {
    const response = await fetch(`${base}/socket.io/1/?${query}`, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await response.text();
    if (response.status === 401) throw refused(options.serverUrl, text);
    if (!response.ok) throw new Error(`handshake answered ${response.status}: ${text}`);
    sid = text.split(':')[0] ?? '';
  } catch (err) {
    throw isHandoffError(err) ? err : unavailable(options.serverUrl, err);
  }
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/socket.io/1/websocket/${sid}?${query}`);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(unavailable(options.serverUrl, new Error('WebSocket open timed out'))), timeoutMs);
    ws.once('open', () => (clearTimeout(timer), resolve()));
    ws.once('error', (err) => (clearTimeout(timer), reject(unavailable(options.serverUrl, err))));
  });

  type Subscriber = { expression: Expression; metadata: SubscriberMetadata; callback: (event: HubEvent) => void };
  const subscribers = new Map<string, Subscriber>();
  const acks = new Map<string, (outcome: { success?: boolean; message?: string }) => void>();
  let nextAck = 1;
  const hubId = randomUUID();
  const send = (event: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(eventFrame('ftrack.event', event));
  };
  /** Sends an event asking for an ack; resolves with the hub's outcome, or rejects after `timeoutMs`. */
  const sendWithAck = (event: unknown): Promise<{ success?: boolean; message?: string }> =>
    new Promise((resolve, reject) => {
      const id = String(nextAck++);
      const timer = setTimeout(() => (acks.delete(id), reject(unavailable(options.serverUrl, new Error('no ack from the hub')))), timeoutMs);
      acks.set(id, (outcome) => (clearTimeout(timer), resolve(outcome)));
      ws.send(eventFrame('ftrack.event', event).replace(/^5:::/, `5:${id}+::`));
    });
  ws.on('message', (message) => {
    const frame = parseFrame(message.toString());
    if (frame?.type === FRAME.heartbeat) return ws.send(heartbeatFrame);
    if (frame?.type === FRAME.ack) {
      const m = /^(\d+)\+?([\s\S]*)$/.exec(frame.data);
      const done = m ? acks.get(m[1] ?? '') : undefined;
      if (!m || !done) return;
      acks.delete(m[1] ?? '');
      let outcome: { success?: boolean; message?: string } = {};
      try {
        outcome = (JSON.parse(m[2] || '[]') as { success?: boolean; message?: string }[])[0] ?? {};
      } catch {
        outcome = { success: false, message: 'unreadable ack' };
      }
      return done(outcome);
    }
    if (frame?.type !== FRAME.event) return;
    const parsed = parseEventData(frame.data);
    if (!parsed || !parsed.payload || typeof parsed.payload !== 'object') return;
    const event = parsed.payload as HubEvent;
    const target = event.target ? safeParse(event.target) : undefined;
    if (event.target && !target) return;
    for (const s of [...subscribers.values()]) {
      if (matches(s.expression, event) && (!target || matches(target, s.metadata))) s.callback(event);
    }
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
    async subscribe(subscription, callback, metadata = {}) {
      const full: SubscriberMetadata = { ...metadata, id: metadata.id ?? randomUUID() };
      subscribers.set(full.id, { expression: parseExpression(subscription), metadata: full, callback });
      const outcome = await sendWithAck({ topic: 'ftrack.meta.subscribe', id: randomUUID(), data: { subscriber: full, subscription }, target: '', source: { id: hubId } });
      if (outcome.success === false) {
        subscribers.delete(full.id);
        throw new HandoffError('FTRACK_EVENT_EXPRESSION_INVALID', outcome.message ?? `The hub refused the subscription ${subscription}.`, {
          details: { subscription },
        });
      }
      return full.id;
    },
    async sync() {
      await sendWithAck({ topic: 'ftrack.meta.sync', id: randomUUID(), data: {}, target: 'id=nobody', source: { id: hubId } });
    },
    unsubscribe(subscriberId) {
      subscribers.delete(subscriberId);
      send({ topic: 'ftrack.meta.unsubscribe', id: randomUUID(), data: { subscriber: { id: subscriberId } }, target: '', source: { id: hubId } });
    },
    async close() {
      subscribers.clear();
      for (const done of acks.values()) done({ success: false, message: 'closed' });
      acks.clear();
      if (ws.readyState === ws.CLOSED) return;
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
    },
  };
}
