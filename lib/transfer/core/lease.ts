/**
 * One scheduler per database: the process that schedules holds a lease row
 * and renews it. Another process may take it over only when the holder is
 * gone (its pid is dead on this host, or its heartbeat is stale elsewhere),
 * so two processes never send the same task into the same partial file.
 * Wall time is used on purpose: the lease is shared between processes.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { HandoffError } from '../../core/errors.ts';
import type { Db } from './db.ts';

const STALE_MS = 30_000;

interface LeaseRow {
  owner: string;
  host: string;
  pid: number;
  heartbeat_at: number;
}

function holderAlive(row: LeaseRow): boolean {
  if (row.host !== os.hostname()) return Date.now() - row.heartbeat_at < STALE_MS;
  try {
    process.kill(row.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface SchedulerLease {
  renew(): void;
  release(): void;
}

export function acquireLease(db: Db): SchedulerLease {
  const owner = randomUUID();
  db.transaction(() => {
    const row = db.prepare('SELECT * FROM scheduler_lease WHERE id = 1').get() as LeaseRow | undefined;
    if (row && holderAlive(row)) {
      throw new HandoffError('TRANSFER_SCHEDULER_BUSY', `Another process (pid ${row.pid} on ${row.host}) already runs transfers on this data directory`, {
        details: { pid: row.pid, host: row.host },
        hint: 'Drive that process instead (--server URL), queue with --detach, or stop it first.',
      });
    }
    db.prepare('INSERT OR REPLACE INTO scheduler_lease (id, owner, host, pid, heartbeat_at) VALUES (1, ?, ?, ?, ?)').run(owner, os.hostname(), process.pid, Date.now());
  }).immediate();
  return {
    renew: () => void db.prepare('UPDATE scheduler_lease SET heartbeat_at = ? WHERE id = 1 AND owner = ?').run(Date.now(), owner),
    release: () => void db.prepare('DELETE FROM scheduler_lease WHERE id = 1 AND owner = ?').run(owner),
  };
}
