/**
 * Plays the ftrack web UI over the event hub: a coordinator's selection is
 * offered to action handlers (`ftrack.action.discover`), an action is launched
 * (`ftrack.action.launch`), a returned form is submitted with `data.values`, and
 * messages handlers push to the user (`ftrack.action.trigger-user-interface`)
 * are captured. Tests and the demo drive actions exactly as a browser would.
 */
import { randomUUID } from 'node:crypto';
import { HandoffError } from '../../core/errors.ts';
import { connectHubClient } from './event-hub/client.ts';
import type { HubEvent } from './event-hub/router.ts';

export interface WebUiHarnessOptions {
  serverUrl: string;
  /** Credentials of the hub connection (the emulator's API user and key). */
  apiUser: string;
  apiKey: string;
  /** The person clicking in the UI; handlers see it as `source.user`. */
  user: { id: string; username: string };
  /** How long discover and launch collect replies unless the expected count arrives first. Default 2000 ms. */
  replyWindowMs?: number;
}

export interface Selected {
  entityId: string;
  /** ftrack's legacy lower-case names: `task` (any TypedContext), `show`, `assetversion` … */
  entityType: string;
}

/** An action item as a handler offered it; extra keys are passed back on launch. */
export interface OfferedAction {
  actionIdentifier: string;
  label?: string;
  variant?: string;
  description?: string;
  icon?: string;
  [key: string]: unknown;
}

export type UiReply =
  | { type: 'message'; success: boolean; message: string; event: HubEvent }
  | { type: 'form'; title?: string; items: Record<string, unknown>[]; submitButtonLabel?: string; event: HubEvent }
  | { type: 'widget'; url?: string; title?: string; event: HubEvent };

export interface CollectOptions {
  /** Stop collecting as soon as this many replies arrived. */
  expected?: number;
  windowMs?: number;
}

export interface WebUiHarness {
  discover(selection: Selected[], options?: CollectOptions): Promise<OfferedAction[]>;
  launch(action: OfferedAction, selection: Selected[], values?: Record<string, unknown>, options?: CollectOptions): Promise<UiReply[]>;
  /** Messages sent to this user with trigger-user-interface, in arrival order. */
  readonly messages: UiReply[];
  /** Resolves with the first captured message that satisfies `predicate`, or rejects after `timeoutMs`. */
  waitForMessage(predicate: (m: UiReply) => boolean, timeoutMs?: number): Promise<UiReply>;
  close(): Promise<void>;
}

function toReply(event: HubEvent): UiReply {
  const data = event.data as Record<string, unknown>;
  if (Array.isArray(data['items'])) {
    return {
      type: 'form',
      items: data['items'] as Record<string, unknown>[],
      event,
      ...(typeof data['title'] === 'string' ? { title: data['title'] } : {}),
      ...(typeof data['submit_button_label'] === 'string' ? { submitButtonLabel: data['submit_button_label'] } : {}),
    };
  }
  if (data['type'] === 'widget') {
    return { type: 'widget', event, ...(typeof data['url'] === 'string' ? { url: data['url'] } : {}), ...(typeof data['title'] === 'string' ? { title: data['title'] } : {}) };
  }
  return { type: 'message', success: data['success'] === true, message: String(data['message'] ?? ''), event };
}

export async function createWebUiHarness(options: WebUiHarnessOptions): Promise<WebUiHarness> {
  const client = await connectHubClient({ serverUrl: options.serverUrl, user: options.apiUser, apiKey: options.apiKey });
  const sourceId = randomUUID();
  const source = { id: sourceId, applicationId: 'ftrack.client.web', user: { ...options.user } };
  const pending = new Map<string, (event: HubEvent) => void>();
  const messages: UiReply[] = [];
  const messageWaiters = new Set<() => void>();

  client.subscribe('topic=ftrack.meta.reply', (event) => {
    if (event.inReplyToEvent) pending.get(event.inReplyToEvent)?.(event);
  }, source);
  client.subscribe('topic=ftrack.action.trigger-user-interface', (event) => {
    messages.push(toReply(event));
    for (const wake of [...messageWaiters]) wake();
  }, { ...source, id: randomUUID() });

  const collect = (topic: string, data: Record<string, unknown>, opts: CollectOptions = {}): Promise<HubEvent[]> => {
    const id = randomUUID();
    const replies: HubEvent[] = [];
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        pending.delete(id);
        resolve(replies);
      };
      const timer = setTimeout(finish, opts.windowMs ?? options.replyWindowMs ?? 2000);
      pending.set(id, (event) => {
        replies.push(event);
        if (opts.expected !== undefined && replies.length >= opts.expected) finish();
      });
      client.publish({ id, topic, data, source });
    });
  };

  return {
    messages,

    async discover(selection, opts) {
      const replies = await collect('ftrack.action.discover', { selection }, opts);
      return replies.flatMap((r) => {
        const items = (r.data as { items?: unknown }).items;
        return Array.isArray(items) ? (items as OfferedAction[]) : [];
      });
    },

    async launch(action, selection, values, opts) {
      const data = { ...action, selection, ...(values ? { values } : {}) };
      return (await collect('ftrack.action.launch', data, { expected: 1, ...opts })).map(toReply);
    },

    waitForMessage(predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = messages.find(predicate);
          if (!found) return false;
          clearTimeout(timer);
          messageWaiters.delete(wake);
          resolve(found);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          messageWaiters.delete(wake);
          reject(new HandoffError('FTRACK_UI_TIMEOUT', `No matching message reached ${options.user.username} within ${timeoutMs} ms.`, {
            retryable: true,
            hint: 'Check that the action handler is connected and sends trigger-user-interface to this user id.',
            details: { userId: options.user.id, received: messages.length },
          }));
        }, timeoutMs);
        if (!check()) messageWaiters.add(wake);
      });
    },

    close: () => client.close(),
  };
}
