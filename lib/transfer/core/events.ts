/**
 * The event log and bus. Every state change appends its events to the
 * append-only `events` table inside the change's own transaction; listeners in
 * this process hear them only after that transaction commits.
 */
import type { JobEvent } from '../types.ts';
import type { Clock } from './clock.ts';
import type { Db } from './db.ts';

export type Listener = (event: JobEvent) => void;

export interface EventBus {
  /** Runs `change` in one IMMEDIATE transaction; events it records are published after commit. */
  transact<T>(change: (record: (event: JobEvent) => void) => T): T;
  /** Publishes an event that is not logged (progress ticks). */
  publish(event: JobEvent): void;
  subscribe(listener: Listener): () => void;
}

export function createEventBus(db: Db, clock: Clock): EventBus {
  const listeners = new Set<Listener>();
  const insert = db.prepare('INSERT INTO events (at, type, job_id, task_id, data) VALUES (?, ?, ?, ?, ?)');
  let pending: JobEvent[] | undefined;

  const publish = (event: JobEvent): void => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not break the state change that was already committed.
      }
    }
  };

  const record = (event: JobEvent): void => {
    const taskId = event.type === 'task.status' ? event.task.id : null;
    insert.run(clock.now(), event.type, event.job.id, taskId, JSON.stringify(logData(event)));
    pending?.push(event);
  };

  return {
    transact(change) {
      if (pending) return change(record); // nested: the outer transaction publishes
      const events: JobEvent[] = [];
      pending = events;
      try {
        const result = db.transaction(() => change(record)).immediate();
        pending = undefined;
        for (const event of events) publish(event);
        return result;
      } finally {
        pending = undefined;
      }
    },
    publish,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The compact row stored for an event: what changed, not whole snapshots. */
function logData(event: JobEvent): Record<string, unknown> {
  switch (event.type) {
    case 'job.created':
      return { name: event.job.name, source: event.job.source, destination: event.job.destination };
    case 'job.status':
      return { previous: event.previous, status: event.job.status };
    case 'task.status':
      return { previous: event.previous, status: event.task.status, error: event.task.lastError };
    case 'job.progress':
      return { bytesDone: event.job.progress.bytesDone };
    case 'job.post-done':
    case 'job.post-failed':
      return { tasks: event.tasks.length, failed: event.tasks.filter((task) => task.status === 'failed').length };
  }
}
