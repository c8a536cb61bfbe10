/**
 * After the click: hash the task's files into its manifest (cached by size
 * and mtime), release the manifest's held transfer task, and update the
 * tracker (status, one note). Each step is idempotent.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { isRetryable, toHandoffError } from '../core/errors.ts';
import type { Tracker } from '../tracker/types.ts';
import type { TransferAdapter } from '../transfer/index.ts';
import { deliver, type DeliveryRequest } from './delivery.ts';
import { writeManifest } from './manifest.ts';
import type { Outbox } from './outbox.ts';
import type { PreparedTask } from './prepare.ts';
import type { DeliverySummary } from './send.ts';
import { taskSpecs } from './send.ts';
import { updateTracker } from './tracker-update.ts';

export interface FinishTaskInput {
  transfer: TransferAdapter;
  outbox: Outbox;
  tracker: Tracker;
  delivery: DeliverySummary;
  task: PreparedTask;
  note?: string | undefined;
  userId?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface FinishedTask {
  taskId: string;
  where: string;
  hashed: number;
  cached: number;
  /** Where the manifest's transfer task went. */
  manifest: 'released' | 'outbox' | 'skipped';
  statusSet: boolean;
  noteAdded: boolean;
  warnings: string[];
}

export interface FinishReport {
  tasks: FinishedTask[];
  warnings: string[];
}

export async function finishTask(input: FinishTaskInput): Promise<FinishedTask> {
  const { task, delivery } = input;
  const report: FinishedTask = { taskId: task.context.task.id, where: task.where, hashed: 0, cached: 0, manifest: 'skipped', statusSet: false, noteAdded: false, warnings: [] };
  if (delivery.status === 'failed') return report;
  const described = statSync(path.join(task.volumeRoot, task.description));
  const files = [...task.collected.sources.flatMap((s) => s.files), { path: task.description, size: described.size, mtimeMs: Math.trunc(described.mtimeMs) }];
  const head = { task: { id: task.context.task.id, path: task.where }, vendor: task.vendor.code, job: task.job };
  const hashed = await writeManifest(path.join(task.volumeRoot, task.manifest), task.volumeRoot, head, files, { signal: input.signal });
  report.hashed = hashed.hashed;
  report.cached = hashed.cached;

  const manifestSpec = taskSpecs(task, delivery.request.tasks[0]?.priority ?? 500).at(-1)!;
  const release: DeliveryRequest = { job: delivery.request.job, tasks: [{ ...manifestSpec, status: undefined }] };
  try {
    await deliver(input.transfer, release);
    report.manifest = 'released';
  } catch (err) {
    const error = toHandoffError(err, 'OUTSOURCE_DELIVERY_FAILED');
    if (!isRetryable(error)) throw error;
    await input.outbox.put(release, error);
    report.manifest = 'outbox';
  }

  const updated = await updateTracker(input.tracker, {
    context: task.context,
    vendorName: task.vendor.settings.name,
    job: task.job,
    status: task.rule.status,
    note: task.rule.note,
    coordinatorNote: input.note,
    description: task.description,
    sources: task.collected.sources,
    authorId: input.userId,
  });
  return { ...report, ...updated, warnings: [...report.warnings, ...updated.warnings] };
}
