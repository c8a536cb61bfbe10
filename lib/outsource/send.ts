/**
 * Grouping prepared tasks into deliveries (one per job: today's job of a
 * project and vendor) and handing each to the transfer core — or, when the
 * core is unreachable, to the outbox. Deliveries are idempotent, so one sent
 * directly while older ones still wait in the outbox is safe in any order.
 */
import { isRetryable, toHandoffError, type HandoffError } from '../core/errors.ts';
import type { JobSpec, TaskSpec, TransferAdapter } from '../transfer/index.ts';
import { deliver, shareRequest, type DeliveryRequest } from './delivery.ts';
import type { Outbox } from './outbox.ts';
import type { PreparedTask } from './prepare.ts';
import { vendorHome, type OutsourceSettings } from './settings.ts';

export interface DeliveryPlan {
  request: DeliveryRequest;
  prepared: PreparedTask[];
  vendor: { code: string; name: string };
  project: string;
}

export interface DeliverySummary extends DeliveryPlan {
  job: string;
  jobId?: string | undefined;
  /** `sent`: queued in the transfer core; `outbox`: kept until it is reachable; `failed`: refused by it. */
  status: 'sent' | 'outbox' | 'failed';
  /** The job is ready and its tasks wait in the outbox, appended right after the reply. */
  deferred: boolean;
  error?: HandoffError | undefined;
  files: number;
  bytes: number;
  /** Transfer tasks created, and existing ones re-queued (a repeated click). */
  added: number;
  retried: number;
}

function taskMetadata(task: PreparedTask, kind: 'source' | 'description' | 'manifest', rule?: string): Record<string, unknown> {
  return { trackerTaskId: task.context.task.id, task: task.where, kind, ...(rule ? { rule } : {}) };
}

/** Transfer tasks of one tracker task: its sources, its description, and its manifest held until hashed. */
export function taskSpecs(task: PreparedTask, priority: number): TaskSpec[] {
  return [
    ...task.collected.sources.flatMap((s) => s.sources.map((source) => ({ source, priority, metadata: taskMetadata(task, 'source', s.name) }))),
    { source: task.description, priority, metadata: taskMetadata(task, 'description') },
    { source: task.manifest, priority, status: 'onhold', metadata: taskMetadata(task, 'manifest') },
  ];
}

export function jobSpec(job: string, project: string, vendor: string, volume: string): Omit<JobSpec, 'tasks'> {
  return {
    name: job,
    source: { kind: 'hq', volume },
    destination: { kind: 'vendor', vendor },
    mirrorPaths: true,
    metadata: { origin: 'outsource', project, vendor },
  };
}

export function planDeliveries(settings: OutsourceSettings, prepared: readonly PreparedTask[], options: { priority?: number | undefined }): DeliveryPlan[] {
  const groups = new Map<string, PreparedTask[]>();
  for (const task of prepared) groups.set(task.job, [...(groups.get(task.job) ?? []), task]);
  return [...groups.entries()].map(([job, tasks]) => {
    const first = tasks[0]!;
    const { code, settings: vendor } = first.vendor;
    const { share, grants } = shareRequest(code, vendorHome(code, vendor), vendor.volume ?? first.volume, vendor.folders);
    const priority = options.priority ?? vendor.priority;
    return {
      request: { job: jobSpec(job, first.context.project.name, code, first.volume), tasks: tasks.flatMap((t) => taskSpecs(t, priority)), share, grants },
      prepared: tasks,
      vendor: { code, name: vendor.name },
      project: first.context.project.name,
    };
  });
}

/**
 * Sends one delivery. Up to `inlineLimit` transfer tasks are appended before the
 * reply; a bigger delivery gets its share and job now and its tasks written to
 * the outbox (durable), appended by `finish()` right after the reply.
 */
export async function sendDelivery(transfer: TransferAdapter, outbox: Outbox, plan: DeliveryPlan, inlineLimit: number): Promise<DeliverySummary> {
  const base = {
    ...plan,
    job: plan.request.job.name,
    deferred: false,
    files: plan.prepared.reduce((sum, t) => sum + t.collected.files, 0),
    bytes: plan.prepared.reduce((sum, t) => sum + t.collected.bytes, 0),
    added: 0,
    retried: 0,
  };
  const keep = async (error: HandoffError): Promise<DeliverySummary> => {
    await outbox.put(plan.request, error);
    return { ...base, status: 'outbox', error };
  };
  try {
    if (plan.request.tasks.length > inlineLimit) {
      const ready = await deliver(transfer, { ...plan.request, tasks: [] });
      await outbox.put(plan.request);
      return { ...base, status: 'sent', deferred: true, jobId: ready.job.id };
    }
    const done = await deliver(transfer, plan.request);
    return { ...base, status: 'sent', jobId: done.job.id, added: done.appended.added.length, retried: done.appended.retried.length };
  } catch (err) {
    const error = toHandoffError(err, 'OUTSOURCE_DELIVERY_FAILED');
    if (isRetryable(error)) return keep(error);
    return { ...base, status: 'failed', error };
  }
}
