/**
 * Who hears which event. Subscribers register on an endpoint (a WebSocket
 * connection or an in-process listener) with an expression and their metadata;
 * an event goes to every endpoint with at least one subscriber whose expression
 * matches the event and whose metadata matches the event's target. Each
 * endpoint gets an event once, however many of its subscribers match: the
 * client fans it out to its own subscribers.
 */
import { randomUUID } from 'node:crypto';
import { matches, parseExpression } from './expression.ts';
import type { Expression } from './expression.ts';

export interface HubEventSource {
  id?: string;
  applicationId?: string;
  user?: { id?: string; username?: string };
  [key: string]: unknown;
}

export interface HubEvent {
  id: string;
  topic: string;
  data: Record<string, unknown>;
  source: HubEventSource;
  target: string;
  inReplyToEvent: string | null;
  [key: string]: unknown;
}

export interface SubscriberMetadata {
  id: string;
  [key: string]: unknown;
}

export interface Endpoint {
  readonly id: string;
  send(event: HubEvent): void;
}

interface Subscription {
  endpoint: Endpoint;
  metadata: SubscriberMetadata;
  expression: Expression;
}

/** Fills the envelope fields a client may leave out. */
export function normaliseEvent(input: Partial<HubEvent> & { topic: string }): HubEvent {
  return {
    ...input,
    id: typeof input.id === 'string' && input.id ? input.id : randomUUID(),
    topic: input.topic,
    data: input.data && typeof input.data === 'object' ? input.data : {},
    source: input.source && typeof input.source === 'object' ? input.source : {},
    target: typeof input.target === 'string' ? input.target : '',
    inReplyToEvent: typeof input.inReplyToEvent === 'string' ? input.inReplyToEvent : null,
  };
}

export function createRouter() {
  /** Keyed by endpoint id, then subscriber id: a repeated subscribe replaces, never duplicates. */
  const byEndpoint = new Map<string, Map<string, Subscription>>();
  const targetCache = new Map<string, Expression | null>();

  const targetOf = (text: string): Expression | null => {
    let parsed = targetCache.get(text);
    if (parsed === undefined) {
      try {
        parsed = parseExpression(text);
      } catch {
        parsed = null;
      }
      if (targetCache.size > 1000) targetCache.clear();
      targetCache.set(text, parsed);
    }
    return parsed;
  };

  return {
    /** Registers a subscriber; throws FTRACK_EVENT_EXPRESSION_INVALID when the expression does not parse. */
    subscribe(endpoint: Endpoint, metadata: SubscriberMetadata, subscription: string): void {
      const expression = parseExpression(subscription);
      let subscribers = byEndpoint.get(endpoint.id);
      if (!subscribers) byEndpoint.set(endpoint.id, (subscribers = new Map()));
      subscribers.set(metadata.id, { endpoint, metadata, expression });
    },

    unsubscribe(endpoint: Endpoint, subscriberId: string): boolean {
      return byEndpoint.get(endpoint.id)?.delete(subscriberId) ?? false;
    },

    drop(endpoint: Endpoint): void {
      byEndpoint.delete(endpoint.id);
    },

    /** Delivers the event; returns how many endpoints received it. */
    route(event: HubEvent): number {
      const target = event.target.trim() ? targetOf(event.target) : undefined;
      if (target === null) return 0;
      let delivered = 0;
      for (const subscribers of byEndpoint.values()) {
        for (const s of subscribers.values()) {
          if (!matches(s.expression, event)) continue;
          if (target && !matches(target, s.metadata)) continue;
          s.endpoint.send(event);
          delivered++;
          break;
        }
      }
      return delivered;
    },

    subscriberCount(): number {
      let count = 0;
      for (const subscribers of byEndpoint.values()) count += subscribers.size;
      return count;
    },
  };
}

export type Router = ReturnType<typeof createRouter>;
