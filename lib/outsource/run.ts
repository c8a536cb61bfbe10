/**
 * One Outsource click, start to end: resolve the tasks, pick each one's
 * vendor, prepare its package, and append it to today's job for its project
 * and vendor. `outsource()` returns once the files are queued (or kept in the
 * outbox); `finish()` then replays the outbox, hashes the manifests, releases
 * them and updates the tracker — the part that may take longer.
 */
import { HandoffError } from '../core/errors.ts';
import type { TaskContext, Tracker } from '../tracker/types.ts';
import type { TransferAdapter } from '../transfer/index.ts';
import { dateFields, formatName } from './names.ts';
import { createOutbox, type Outbox } from './outbox.ts';
import { prepareTask, type PreparedTask, type Refusal } from './prepare.ts';
import { planDeliveries, sendDelivery, type DeliverySummary } from './send.ts';
import { finishTask, type FinishReport } from './finish.ts';
import type { OutsourceSettings } from './settings.ts';
import { vendorByCode, vendorChoices, vendorsOfAssignees, type VendorRef } from './vendors.ts';

export interface OutsourceOptions {
  settings: OutsourceSettings;
  transfer: TransferAdapter;
  /** Folder for the outbox (requests kept while the transfer core is unreachable). */
  dataDir: string;
  now?: (() => Date) | undefined;
  /** Deliveries with more transfer tasks than this are appended right after the reply (default 2000). */
  inlineTaskLimit?: number | undefined;
}

export interface OutsourceRequest {
  tracker: Tracker;
  taskIds: string[];
  /** Vendor code for the whole selection; otherwise each task's vendor assignee decides. */
  vendor?: string | undefined;
  /** The coordinator's note, written into descriptions and tracker notes. */
  note?: string | undefined;
  /** Transfer priority 1..1000; the vendor's default otherwise. */
  priority?: number | undefined;
  /** Tracker user the notes are written as. */
  userId?: string | undefined;
}

export type OutsourceResult =
  | { type: 'needs-vendor'; tasks: { id: string; where: string; reason: string }[]; choices: { label: string; value: string }[]; suggested?: string | undefined }
  | { type: 'queued'; deliveries: DeliverySummary[]; refused: Refusal[]; warnings: string[]; finish(signal?: AbortSignal, progress?: FinishProgress): Promise<FinishReport> };

/** Progress of `finish()`, one step per task (shown on the tracker job). */
export type FinishProgress = (progress: { fraction: number; description: string }) => Promise<void> | void;

export interface Outsource {
  readonly settings: OutsourceSettings;
  readonly outbox: Outbox;
  outsource(request: OutsourceRequest): Promise<OutsourceResult>;
}

export function createOutsource(options: OutsourceOptions): Outsource {
  for (const key of ['settings', 'transfer', 'dataDir'] as const) {
    if (!options?.[key]) {
      throw new HandoffError('OUTSOURCE_OPTION_MISSING', `createOutsource needs the option ${JSON.stringify(key)}`, {
        details: { option: key },
        hint: 'Pass { settings, transfer, dataDir }.',
      });
    }
  }
  const { settings, transfer } = options;
  const now = options.now ?? (() => new Date());
  const outbox = createOutbox(`${options.dataDir}/outbox`, now);
  const locks = new Map<string, Promise<unknown>>();
  /** Runs `work` after earlier work on the same key (one task's tracker update at a time). */
  const serially = <T>(key: string, work: () => Promise<T>): Promise<T> => {
    const run = (locks.get(key) ?? Promise.resolve()).then(work, work);
    const tail = run.catch(() => undefined);
    locks.set(key, tail);
    void tail.then(() => locks.get(key) === tail && locks.delete(key));
    return run;
  };

  async function outsource(request: OutsourceRequest): Promise<OutsourceResult> {
    const priority = request.priority;
    if (priority !== undefined && (!Number.isInteger(priority) || priority < 1 || priority > 1000)) {
      throw new HandoffError('OUTSOURCE_PRIORITY_INVALID', `Priority must be a whole number from 1 to 1000, got ${priority}`, {
        details: { priority },
        hint: 'Use 1 (lowest) to 1000 (highest); 500 is normal.',
      });
    }
    const chosen = request.vendor === undefined || request.vendor === '' ? undefined : vendorByCode(settings, request.vendor);
    if (request.vendor && !chosen) {
      const known = Object.keys(settings.vendors);
      throw new HandoffError('OUTSOURCE_VENDOR_UNKNOWN', `No vendor has the code ${JSON.stringify(request.vendor)}`, {
        details: { vendor: request.vendor, known },
        hint: known.length ? `Use one of: ${known.join(', ')}.` : 'Add the vendor to the outsource settings first.',
      });
    }
    const refused: Refusal[] = [];
    const resolved: { context: TaskContext; vendors: VendorRef[] }[] = [];
    for (const r of await request.tracker.resolveTasks(request.taskIds)) {
      if (!r.ok) {
        refused.push({ taskId: r.id, where: r.id, code: r.code, reasons: [r.message] });
        continue;
      }
      const assigned = vendorsOfAssignees(settings, r.context.task.assignees);
      if (chosen && !settings.reassign && assigned.length && !assigned.some((v) => v.code === chosen.code)) {
        const where = r.context.path.join('/');
        const reason = `assigned to ${assigned.map((v) => v.code).join(', ')}, not ${chosen.code}; reassign the task in the tracker first (or allow outsource.reassign)`;
        refused.push({ taskId: r.context.task.id, where, code: 'OUTSOURCE_VENDOR_NOT_ASSIGNED', reasons: [reason] });
        continue;
      }
      resolved.push({ context: r.context, vendors: chosen ? [chosen] : assigned });
    }
    const undecided = resolved.filter((r) => r.vendors.length !== 1);
    if (undecided.length) {
      const found = [...new Set(resolved.flatMap((r) => r.vendors.map((v) => v.code)))];
      return {
        type: 'needs-vendor',
        tasks: undecided.map((r) => ({
          id: r.context.task.id,
          where: r.context.path.join('/'),
          reason: r.vendors.length ? `assigned to several vendors (${r.vendors.map((v) => v.code).join(', ')})` : 'not assigned to a vendor',
        })),
        choices: vendorChoices(settings),
        suggested: found.length === 1 ? found[0] : undefined,
      };
    }
    const today = dateFields(now());
    const prepared: PreparedTask[] = [];
    for (const { context, vendors } of resolved) {
      const vendor = vendors[0]!;
      const job = formatName(settings.names.job, { project: context.project.name, vendor: vendor.code, ...today });
      const result = await prepareTask({ settings, tracker: request.tracker, context, vendor, job, coordinatorNote: request.note });
      if ('reasons' in result) refused.push(result);
      else prepared.push(result);
    }
    const plans = planDeliveries(settings, prepared, { priority });
    const deliveries: DeliverySummary[] = [];
    for (const plan of plans) deliveries.push(await sendDelivery(transfer, outbox, plan, options.inlineTaskLimit ?? 2000));
    return {
      type: 'queued',
      deliveries,
      refused,
      warnings: prepared.flatMap((p) => p.warnings),
      finish: async (signal, progress) => {
        await outbox.drain(transfer);
        const reports = [];
        const total = deliveries.reduce((n, d) => n + d.prepared.length, 0);
        for (const delivery of deliveries) {
          for (const task of delivery.prepared) {
            await progress?.({ fraction: reports.length / total, description: `manifest of ${task.where}` });
            reports.push(await serially(task.context.task.id, () => finishTask({ transfer, outbox, tracker: request.tracker, delivery, task, note: request.note, userId: request.userId, signal })));
          }
        }
        return { tasks: reports, warnings: reports.flatMap((r) => r.warnings) };
      },
    };
  }

  return { settings, outbox, outsource };
}
