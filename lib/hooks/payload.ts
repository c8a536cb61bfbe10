/**
 * The JSON a hook receives. Job hooks get the shape studios' existing scripts
 * read (snake_case, tasks keyed by number, `path` and `path_abs` per side), so
 * a post-done script written for another transfer tool needs few changes.
 */
import type { Job, Party, Task } from '../transfer/types.ts';
import type { Lifecycle } from './lifecycle.ts';

export interface HookTaskSide {
  /** Path relative to the party's root. */
  path: string;
  /** Absolute path on this machine, when the side is local to it. */
  path_abs?: string | undefined;
}

export interface HookTask {
  id: string;
  status: Task['status'];
  size: number;
  source: HookTaskSide;
  destination: HookTaskSide;
  metadata: Record<string, unknown>;
}

export interface JobHookPayload {
  hook: Lifecycle;
  id: string;
  code: string;
  name: string;
  status: Job['status'];
  /** Bytes in tasks that were not excluded. */
  size: number;
  created: string;
  finished?: string | undefined;
  queue_hr: string;
  source_hr: string;
  destination_hr: string;
  metadata: Record<string, unknown>;
  tasks: Record<string, HookTask>;
}

export interface HookPayloads {
  'job.pre-submit': JobHookPayload;
  'job.post-done': JobHookPayload;
  'job.post-failed': JobHookPayload;
  'publish.pre': Record<string, unknown>;
  'publish.post': Record<string, unknown>;
}

/** Resolves a party-relative path to an absolute one on this machine, or undefined. */
export type ResolveAbsolute = (party: Party, path: string) => string | undefined;

export function partyLabel(party: Party): string {
  return party.kind === 'hq' ? `hq:${party.volume ?? 'default'}` : `vendor:${party.vendor}`;
}

export function jobHookPayload(hook: Lifecycle, job: Job, tasks: Task[], resolve: ResolveAbsolute): JobHookPayload {
  const entries = tasks.map((task, index): [string, HookTask] => [
    String(index),
    {
      id: task.id,
      status: task.status,
      size: task.bytesTotal,
      source: { path: task.source, path_abs: resolve(job.source, task.source) },
      destination: { path: task.destination, path_abs: resolve(job.destination, task.destination) },
      metadata: task.metadata,
    },
  ]);
  return {
    hook,
    id: job.id,
    code: job.name,
    name: job.name,
    status: job.status,
    size: tasks.filter((t) => t.status !== 'excluded').reduce((sum, t) => sum + t.bytesTotal, 0),
    created: job.createdAt.toISOString(),
    finished: job.finishedAt?.toISOString(),
    queue_hr: job.queue,
    source_hr: partyLabel(job.source),
    destination_hr: partyLabel(job.destination),
    metadata: job.metadata,
    tasks: Object.fromEntries(entries),
  };
}
