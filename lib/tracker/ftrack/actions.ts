/**
 * The ActionChannel on ftrack's event hub: answers `ftrack.action.discover`
 * and `ftrack.action.launch` from the web UI for an ActionHandler, and shows
 * later messages with `ftrack.action.trigger-user-interface`.
 */
import { Event, EventHub } from '@ftrack/api';
import type { EventPayload } from '@ftrack/api';
import { HandoffError, toHandoffError } from '../../core/errors.ts';
import type { ActionChannel, ActionHandler, FormItem, LaunchResponse, SelectionItem, User, UserMessage } from '../types.ts';
import type { FtrackConnection } from './connection.ts';
import { OBJECT_TYPES, str } from './mapping.ts';
import type { ResolvedFtrackOptions } from './options.ts';

type Payload = { data: Record<string, unknown>; source?: { user?: { id?: string; username?: string } } };

const HUB_TIMEOUT_MS = 15_000;

const KIND_BY_OBJECT_TYPE: Record<string, string> = {
  [OBJECT_TYPES.task]: 'task',
  [OBJECT_TYPES.shot]: 'shot',
  [OBJECT_TYPES.sequence]: 'sequence',
  [OBJECT_TYPES.assetBuild]: 'shot',
};
const KIND_BY_ENTITY_TYPE: Record<string, string> = { show: 'project', assetversion: 'version' };

function formItem(item: FormItem): Record<string, unknown> {
  const { multiSelect, ...rest } = item;
  return { ...rest, ...(multiSelect !== undefined ? { multi_select: multiSelect } : {}) };
}

export function toFtrackReply(response: LaunchResponse): Record<string, unknown> {
  if (response.type === 'message') return { success: response.success, message: response.message };
  return {
    type: 'form',
    title: response.title,
    items: response.items.map(formItem),
    ...(response.submitButtonLabel ? { submit_button_label: response.submitButtonLabel } : {}),
  };
}

/** The channel, and `disconnect` for the tracker's close(). */
export function createActionChannel(
  conn: FtrackConnection,
  options: ResolvedFtrackOptions,
  findUser: (id: string) => Promise<User | undefined>,
): { channel: ActionChannel; disconnect(): void } {
  let hub: EventHub | undefined;
  let pingId = '';
  const connectedHub = (): EventHub => {
    if (!hub) {
      hub = new EventHub(options.serverUrl, options.user, options.apiKey, { applicationId: 'handoff' });
      hub.connect();
      pingId = hub.subscribe('topic=handoff.ping', () => ({ pong: true }));
    }
    return hub;
  };
  /**
   * A round trip to our own subscriber: the hub handles a connection's events in order, so all we
   * sent before is handled. Our own timer (the client's timers are never cleared) bounds the wait.
   */
  const flush = (eventHub: EventHub): Promise<void> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(
          new HandoffError('FTRACK_UNAVAILABLE', `The ftrack event hub at ${options.serverUrl} did not answer.`, {
            retryable: true,
            hint: 'Check that the event server is reachable from this machine.',
          }),
        );
      }, HUB_TIMEOUT_MS);
      const onReply = (): void => {
        clearTimeout(timer);
        resolve();
      };
      eventHub.publish(new Event('handoff.ping', {}, { target: `id=${pingId}` }), { onReply, timeout: 0 }).catch((err: unknown) => {
        clearTimeout(timer);
        reject(toHandoffError(err, 'FTRACK_UNAVAILABLE', { retryable: true }));
      });
    });

  /** The web UI says `task` for any context; ask ftrack which kind each one is. */
  const selectionOf = async (raw: unknown): Promise<SelectionItem[]> => {
    const items = (Array.isArray(raw) ? raw : []).map((s: Record<string, unknown>) => ({ entityId: str(s['entityId']), entityType: str(s['entityType']) }));
    const contexts = items.filter((s) => s.entityType === 'task').map((s) => s.entityId);
    const rows = await conn.queryIn((list) => `select id, object_type_id from TypedContext where id in (${list})`, contexts);
    const kinds = new Map(rows.map((r) => [str(r['id']), KIND_BY_OBJECT_TYPE[str(r['object_type_id'])] ?? 'task']));
    return items.map((s) => ({ entityId: s.entityId, entityType: kinds.get(s.entityId) ?? KIND_BY_ENTITY_TYPE[s.entityType.toLowerCase()] ?? s.entityType }));
  };

  /**
   * The user named by the event's source (which ftrack's hub sets from the sender's login), with
   * the tracker's groups; an unknown one comes back as named, for the action runtime to refuse.
   */
  const userOf = async (event: Payload): Promise<User> => {
    const source = event.source?.user ?? {};
    const found = source.id ? await findUser(source.id).catch(() => undefined) : undefined;
    if (found && (!source.username || found.username === source.username)) return found;
    return { id: str(source.id), username: str(source.username), name: str(source.username), groups: [] };
  };

  const channel: ActionChannel = {
    async serve(handler: ActionHandler) {
      // The API answers a wrong URL or key at once; the event hub would only time out.
      await conn.session();
      const eventHub = connectedHub();
      const ids = [
        // The client does not catch what a callback throws (an unhandled rejection), so nothing may escape.
        eventHub.subscribe('topic=ftrack.action.discover', async (e: EventPayload) => {
          try {
            const event = e as unknown as Payload;
            const items = await handler.discover({ selection: await selectionOf(event.data['selection']), user: await userOf(event) });
            return items.length ? { items } : null;
          } catch (err) {
            console.warn(`[ftrack actions] discover failed: ${toHandoffError(err, 'INTERNAL').message}`);
            return null;
          }
        }),
        eventHub.subscribe('topic=ftrack.action.launch', async (e: EventPayload) => {
          try {
            const event = e as unknown as Payload;
            const values = event.data['values'];
            const response = await handler.launch({
              actionIdentifier: str(event.data['actionIdentifier']),
              selection: await selectionOf(event.data['selection']),
              user: await userOf(event),
              ...(values && typeof values === 'object' ? { values: values as Record<string, unknown> } : {}),
            });
            // Every handler hears every launch; only the one owning the action answers.
            return response ? toFtrackReply(response) : null;
          } catch (err) {
            const error = toHandoffError(err, 'INTERNAL');
            console.warn(`[ftrack actions] launch failed: ${error.code} ${error.message}`);
            return { success: false, message: `The action failed: ${error.message}` };
          }
        }),
      ];
      try {
        await flush(eventHub);
      } catch (err) {
        for (const id of ids) eventHub.unsubscribe(id);
        throw err;
      }
      return {
        async close() {
          for (const id of ids) eventHub.unsubscribe(id);
        },
      };
    },

    async notify(message: UserMessage) {
      const data = { type: 'message', success: message.success, message: message.message, ...(message.title ? { title: message.title } : {}) };
      const target = `applicationId=ftrack.client.web and user.id="${message.userId.replaceAll('"', '')}"`;
      const eventHub = connectedHub();
      // A failed send shows as the flush timing out.
      eventHub.publish(new Event('ftrack.action.trigger-user-interface', data, { target }), { timeout: 0 }).catch(() => undefined);
      await flush(eventHub);
    },
  };
  return {
    channel,
    disconnect() {
      hub?.disconnect();
      hub = undefined;
    },
  };
}
