/**
 * The server's live feed: everything the dashboard shows as it changes. The
 * transfer core's events are turned into compact updates; the server adds its
 * own (agents, hook results, publishes, log lines). Subscribers are the SSE
 * streams of `GET /api/stream`.
 */
import type { Job, Task } from '../transfer/types.ts';
import type { HookRecord, LogEntry, PublishRecord } from './store.ts';

export interface AgentView {
  vendor: string;
  online: boolean;
  enrolled: boolean;
  /** Last time HQ heard from the agent (ISO), when ever. */
  lastContact?: string | undefined;
  /** Bytes per second of the vendor's running jobs, summed. */
  throughput: number;
  streams: number;
}

export type LiveEvent =
  | { kind: 'job'; job: Job }
  | { kind: 'task'; jobId: string; task: Task }
  | { kind: 'agent'; agent: AgentView }
  | { kind: 'hook'; hook: HookRecord }
  | { kind: 'publish'; publish: PublishRecord }
  | { kind: 'log'; entry: LogEntry };

export type LiveListener = (event: LiveEvent) => void;

export interface LiveFeed {
  emit(event: LiveEvent): void;
  subscribe(listener: LiveListener): () => void;
  readonly size: number;
}

export function createLiveFeed(): LiveFeed {
  const listeners = new Set<LiveListener>();
  return {
    emit(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch {
          // One broken stream must not stop the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get size() {
      return listeners.size;
    },
  };
}
