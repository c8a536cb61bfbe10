/**
 * Plays the ftrack web UI over the event hub: a user's selection is offered
 * to action handlers (`ftrack.action.discover`), an action is launched
 * (`ftrack.action.launch`), a returned form is submitted with `data.values`,
 * and messages handlers push to users (`ftrack.action.trigger-user-interface`)
 * are captured. Tests and the demo drive actions exactly as a browser would;
 * `trackerUi()` offers the same as the Tracker seam's TrackerUi.
 */
import { randomUUID } from 'node:crypto';
import { HandoffError } from '../../core/errors.ts';
import type { ActionItem, FormItem, LaunchResponse, SelectionItem, TrackerUi, UserMessage } from '../../tracker/types.ts';
import { connectHubClient, type HubClient } from './event-hub/client.ts';
import type { HubEvent } from './event-hub/router.ts';

export interface WebUiHarnessOptions {
  serverUrl: string;
  /**
   * Credentials of the harness's own hub connection (an API user and key of the server).
   * A user's discover and launch go on a connection of that user with the same key.
   */
  apiUser: string;
  apiKey: string;
  /** How long discover (and a launch nobody answers) collects replies. Default 2000 ms. */
  replyWindowMs?: number;
}

export interface UiUser {
  id: string;
  username: string;
}

/** A selected entity as the web UI names it: `task` (any context), `show`, `assetversion` … */
export interface Selected {
  entityId: string;
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
  | { type: 'message'; success: boolean; message: string; title?: string; event: HubEvent }
  | { type: 'form'; title?: string; items: Record<string, unknown>[]; submitButtonLabel?: string; event: HubEvent }
  | { type: 'widget'; url?: string; title?: string; event: HubEvent };

export interface CollectOptions {
  /** Stop collecting as soon as this many replies arrived. */
  expected?: number;
  windowMs?: number;
}

export interface WebUiHarness {
  discover(selection: Selected[], user: UiUser, options?: CollectOptions): Promise<OfferedAction[]>;
  launch(action: OfferedAction, selection: Selected[], user: UiUser, values?: Record<string, unknown>, options?: CollectOptions): Promise<UiReply[]>;
  /** Starts capturing messages sent to the user; resolves once the hub has registered it. */
  watch(user: UiUser): Promise<void>;
  /** Resolves once every message the hub routed before now has been captured. */
  sync(): Promise<void>;
  /** Messages captured for a watched user, in arrival order. */
  messages(userId: string): UiReply[];
  /** The first captured message for the user that satisfies `predicate`, or FTRACK_UI_TIMEOUT after `timeoutMs`. */
  waitForMessage(userId: string, predicate: (m: UiReply) => boolean, timeoutMs?: number): Promise<UiReply>;
  /** The TrackerUi view: users by username, every server user watched from the start. */
  trackerUi(): Promise<TrackerUi>;
  close(): Promise<void>;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function toReply(event: HubEvent): UiReply {
  const data = event.data;
  const title = str(data['title']);
  if (Array.isArray(data['items'])) {
    const label = str(data['submit_button_label']);
    return { type: 'form', items: data['items'] as Record<string, unknown>[], event, ...(title ? { title } : {}), ...(label ? { submitButtonLabel: label } : {}) };
  }
  if (data['type'] === 'widget') return { type: 'widget', event, ...(str(data['url']) ? { url: str(data['url']) } : {}), ...(title ? { title } : {}) };
  return { type: 'message', success: data['success'] === true, message: String(data['message'] ?? ''), event, ...(title ? { title } : {}) };
}

export async function createWebUiHarness(options: WebUiHarnessOptions): Promise<WebUiHarness> {
  const client = await connectHubClient({ serverUrl: options.serverUrl, user: options.apiUser, apiKey: options.apiKey });
  const pending = new Map<string, (event: HubEvent) => void>();
  const captured = new Map<string, UiReply[]>();
  const wakers = new Set<() => void>();

  /**
   * One browser session per user: the hub stamps `source.user` from the connection, so
   * a user's clicks travel on a connection logged in as that user (the server's API key).
   */
  const sessions = new Map<string, Promise<{ client: HubClient; sourceId: string }>>();
  const sessionOf = (user: UiUser): Promise<{ client: HubClient; sourceId: string }> => {
    let session = sessions.get(user.username);
    if (!session) {
      session = (async () => {
        const own = await connectHubClient({ serverUrl: options.serverUrl, user: user.username, apiKey: options.apiKey });
        const sourceId = randomUUID();
        await own.subscribe('topic=ftrack.meta.reply', (event) => {
          if (event.inReplyToEvent) pending.get(event.inReplyToEvent)?.(event);
        }, { id: sourceId, applicationId: 'ftrack.client.web' });
        return { client: own, sourceId };
      })();
      session.catch(() => sessions.delete(user.username));
      sessions.set(user.username, session);
    }
    return session;
  };

  const collect = async (topic: string, data: Record<string, unknown>, user: UiUser, opts: CollectOptions = {}): Promise<HubEvent[]> => {
    const session = await sessionOf(user);
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
      const source = { id: session.sourceId, applicationId: 'ftrack.client.web', user: { id: user.id, username: user.username } };
      session.client.publish({ id, topic, data, source });
    });
  };

  const harness: WebUiHarness = {
    async discover(selection, user, opts) {
      const replies = await collect('ftrack.action.discover', { selection }, user, opts);
      return replies.flatMap((r) => (Array.isArray(r.data['items']) ? (r.data['items'] as OfferedAction[]) : []));
    },

    async launch(action, selection, user, values, opts) {
      const data = { ...action, selection, ...(values ? { values } : {}) };
      return (await collect('ftrack.action.launch', data, user, { expected: 1, ...opts })).map(toReply);
    },

    async watch(user) {
      if (captured.has(user.id)) return;
      captured.set(user.id, []);
      await client.subscribe('topic=ftrack.action.trigger-user-interface', (event) => {
        captured.get(user.id)?.push(toReply(event));
        for (const wake of [...wakers]) wake();
      }, { id: randomUUID(), applicationId: 'ftrack.client.web', user: { id: user.id, username: user.username } });
    },

    sync: () => client.sync(),

    messages: (userId) => [...(captured.get(userId) ?? [])],

    waitForMessage(userId, predicate, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = captured.get(userId)?.find(predicate);
          if (!found) return false;
          clearTimeout(timer);
          wakers.delete(wake);
          resolve(found);
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          wakers.delete(wake);
          reject(new HandoffError('FTRACK_UI_TIMEOUT', `No matching message reached user ${userId} within ${timeoutMs} ms.`, {
            retryable: true,
            hint: 'Check that the action handler is connected and sends trigger-user-interface to this user id (watch the user first).',
            details: { userId, received: captured.get(userId)?.length ?? 0 },
          }));
        }, timeoutMs);
        if (!check()) wakers.add(wake);
      });
    },

    trackerUi: () => createTrackerUi(harness, options),

    async close() {
      const opened = await Promise.allSettled([...sessions.values()]);
      await Promise.all(opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value.client.close()] : [])));
      await client.close();
    },
  };
  return harness;
}

const FTRACK_ENTITY_TYPE: Record<string, string> = { project: 'show', version: 'assetversion', shot: 'task', sequence: 'task', task: 'task' };

function toFormItem(item: Record<string, unknown>): FormItem {
  const { multi_select: multi, ...rest } = item;
  return { ...(rest as unknown as FormItem), ...(typeof multi === 'boolean' ? { multiSelect: multi } : {}) };
}

function toLaunchResponse(reply: UiReply | undefined): LaunchResponse | undefined {
  if (!reply || reply.type === 'widget') return undefined;
  if (reply.type === 'message') return { type: 'message', success: reply.success, message: reply.message };
  return { type: 'form', title: reply.title ?? '', items: reply.items.map(toFormItem), ...(reply.submitButtonLabel ? { submitButtonLabel: reply.submitButtonLabel } : {}) };
}

/** Every user of the server, read through the API as the harness's API user. */
async function listUsers(options: WebUiHarnessOptions): Promise<UiUser[]> {
  const response = await fetch(`${options.serverUrl.replace(/\/+$/, '')}/api`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ftrack-user': options.apiUser, 'ftrack-api-key': options.apiKey },
    body: JSON.stringify([{ action: 'query', expression: 'select id, username from User' }]),
  });
  const body = (await response.json()) as [{ data: { id: string; username: string }[] }] | { exception: string; content: string };
  if (!Array.isArray(body)) throw new HandoffError('FTRACK_QUERY_FAILED', `Reading users failed: ${body.content}`, { details: { exception: body.exception } });
  return body[0].data.map((u) => ({ id: u.id, username: u.username }));
}

async function createTrackerUi(harness: WebUiHarness, options: WebUiHarnessOptions): Promise<TrackerUi> {
  const users = await listUsers(options);
  await Promise.all(users.map((u) => harness.watch(u)));
  const userOf = (username: string): UiUser => {
    const user = users.find((u) => u.username === username);
    if (!user) throw new HandoffError('TRACKER_USER_NOT_FOUND', `No user named ${JSON.stringify(username)}`, { details: { username }, hint: 'Play the UI as a user of the server.' });
    return user;
  };
  const selected = (selection: SelectionItem[]): Selected[] =>
    selection.map((s) => ({ entityId: s.entityId, entityType: FTRACK_ENTITY_TYPE[s.entityType] ?? s.entityType }));
  return {
    async discover(selection, username) {
      return (await harness.discover(selected(selection), userOf(username))) as ActionItem[];
    },
    async launch(item, selection, username, values) {
      const [reply] = await harness.launch({ ...item }, selected(selection), userOf(username), values);
      return toLaunchResponse(reply);
    },
    async messages(username): Promise<UserMessage[]> {
      const user = userOf(username);
      await harness.sync();
      return harness.messages(user.id).flatMap((m) =>
        m.type === 'message' ? [{ userId: user.id, message: m.message, success: m.success, ...(m.title ? { title: m.title } : {}) }] : [],
      );
    },
  };
}
