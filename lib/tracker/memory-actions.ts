/**
 * The memory tracker's action channel and the UI that plays a coordinator's clicks
 * against it: discover gathers items from every served handler, launch goes to
 * every handler and the one that owns the action answers.
 */
import { HandoffError } from '../core/errors.ts';
import type {
  ActionChannel,
  ActionHandler,
  ActionItem,
  LaunchResponse,
  SelectionItem,
  TrackerUi,
  User,
  UserMessage,
} from './types.ts';

export interface MemoryJob {
  id: string;
  userId: string;
  description: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  fraction: number;
}

export interface MemoryTrackerUi extends TrackerUi {
  /** Tracker jobs shown to a user, oldest first (present when the tracker offers jobs). */
  jobs(username: string): Promise<MemoryJob[]>;
}

export function createMemoryActions(
  findUser: (username: string) => User | undefined,
  jobs: MemoryJob[],
): { channel: ActionChannel; ui: MemoryTrackerUi; closeAll(): void } {
  const handlers = new Set<ActionHandler>();
  const messages: UserMessage[] = [];

  const channel: ActionChannel = {
    async serve(handler) {
      handlers.add(handler);
      return {
        async close() {
          handlers.delete(handler);
        },
      };
    },
    async notify(message) {
      messages.push({ ...message });
    },
  };

  const userOf = (username: string): User => {
    const user = findUser(username);
    if (!user) {
      throw new HandoffError('TRACKER_USER_NOT_FOUND', `No user named ${JSON.stringify(username)}`, {
        details: { username },
        hint: 'Play the UI as a user from the seed.',
      });
    }
    return user;
  };

  const ui: MemoryTrackerUi = {
    async discover(selection: SelectionItem[], username: string) {
      const user = userOf(username);
      const answers = await Promise.all([...handlers].map((h) => h.discover({ selection, user })));
      return answers.flat();
    },
    async launch(item: ActionItem, selection: SelectionItem[], username: string, values?: Record<string, unknown>) {
      const user = userOf(username);
      const request = { selection, user, actionIdentifier: item.actionIdentifier, values };
      const answers = await Promise.all([...handlers].map((h) => h.launch(request)));
      return answers.find((a): a is LaunchResponse => a !== undefined);
    },
    async messages(username: string) {
      const user = userOf(username);
      return messages.filter((m) => m.userId === user.id).map((m) => ({ ...m }));
    },
    async jobs(username: string) {
      const user = userOf(username);
      return jobs.filter((j) => j.userId === user.id).map((j) => ({ ...j }));
    },
  };
  return { channel, ui, closeAll: () => handlers.clear() };
}
