/**
 * Publish at HQ once a vendor's upload has landed (run by the job-post-done
 * hook): every folder is first checked against what HQ validated
 * (landing-check.ts); then for each folder the Extract and Integrate bands of the
 * publish plan run — proxies, files into the production path, one version in
 * the tracker. Idempotent: a re-run makes the same files and the tracker
 * returns the first version. The landed files are never moved or removed.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError, toHandoffError } from '../core/errors.ts';
import { confinePath } from '../core/paths/index.ts';
import type { JobHookPayload } from '../hooks/index.ts';
import { HALT_BEFORE_ORDER, planPublish, publishMedia, runPublish } from '../publish/index.ts';
import type { PublishContext, PublishInstance, PublishLog, PublishPlan, PublishReport } from '../publish/index.ts';
import type { Tracker } from '../tracker/types.ts';
import { FOLDER_FAMILY, isAssignedToVendor } from './folder-data.ts';
import type { FolderData, VendorPublishData } from './folder-data.ts';
import { checkLandedFolder } from './landing-check.ts';
import type { LandedFolder } from './landing-check.ts';
import { mainSequence } from './landed.ts';
import type { PrepublishServices } from './prepublish.ts';
import { PUBLISH_METADATA_KEY } from './types.ts';
import type { PublishJobMetadata } from './types.ts';

export interface PublishServices {
  tracker: Tracker;
  /** Absolute path of the HQ volume the upload landed in and the production paths are under. */
  hqRoot: string;
  plan?: PublishPlan | undefined;
  /** What pre-publish ran with (statuses, `publish.pre` hooks): the landed files are judged the same way. */
  prepublish?: Partial<PrepublishServices> | undefined;
  log?: PublishLog | undefined;
}

export interface FolderPublishResult {
  folder: string;
  ok: boolean;
  versionId?: string | undefined;
  version?: number | undefined;
  /** False when the tracker already had this publish (a re-run). */
  created?: boolean | undefined;
  destination?: string | undefined;
  errors: string[];
}

export type LandedJobResult =
  | { kind: 'not-a-publish' }
  | { kind: 'published'; jobId: string; folders: FolderPublishResult[] };

/** The publish metadata of a job, or undefined when the job is not a vendor publish. */
export function publishMetadataOf(metadata: Record<string, unknown>): PublishJobMetadata | undefined {
  const meta = metadata[PUBLISH_METADATA_KEY] as PublishJobMetadata | undefined;
  return meta?.kind === 'vendor-publish' && Array.isArray(meta.folders) ? meta : undefined;
}

/** The plan cut to the bands that run after the upload (Extract, Integrate). */
export function publishPlanAfterUpload(plan: PublishPlan): PublishPlan {
  return { ...plan, entries: plan.entries.filter((e) => e.order >= HALT_BEFORE_ORDER) };
}

export async function publishLandedJob(job: JobHookPayload, services: PublishServices): Promise<LandedJobResult> {
  const meta = publishMetadataOf(job.metadata);
  if (!meta) return { kind: 'not-a-publish' };
  // The metadata travelled with the upload; the job's source is what the transfer core vouches for.
  if (job.source_hr !== `vendor:${meta.vendor.code}`) {
    throw new HandoffError('PUBLISH_METADATA_INVALID', `The job came from ${job.source_hr}, but its publish metadata names vendor ${meta.vendor.code}`, {
      hint: 'Publish the folders again with `handoff publish` from the vendor that made them.',
      details: { jobId: job.id, source: job.source_hr, vendor: meta.vendor.code },
    });
  }
  const fullPlan = services.plan ?? (await planPublish());
  const checks = { tracker: services.tracker, plan: fullPlan, ...services.prepublish };
  // Every folder is checked before any is published: a job is published whole or not at all.
  const landed: LandedFolder[] = [];
  const rejected: { folder: string; code: string; message: string }[] = [];
  for (const verdict of meta.folders.filter((f) => f.can_publish)) {
    try {
      landed.push(await checkLandedFolder(job, meta, verdict, services.hqRoot, checks));
    } catch (err) {
      const error = toHandoffError(err, 'PUBLISH_LANDING_REJECTED');
      if (error.code === 'PUBLISH_NOT_LANDED' || error.retryable) throw error;
      rejected.push({ folder: verdict.filename, code: error.code, message: error.message });
    }
  }
  if (rejected.length) {
    const [first] = rejected;
    throw new HandoffError('PUBLISH_LANDING_REJECTED', `Nothing was published: ${rejected.map((r) => r.message).join(' | ')}`, {
      hint: 'The upload differs from what HQ validated, so no folder of it reached the production path or the tracker. Publish the folders again.',
      details: { jobId: job.id, folders: rejected, code: first!.code },
    });
  }
  const plan = publishPlanAfterUpload(fullPlan);
  const folders: FolderPublishResult[] = [];
  for (const folder of landed) {
    folders.push(await publishFolder(job, meta, folder, plan, services).catch((err: unknown) => ({
      folder: folder.verdict.filename, ok: false, errors: [err instanceof Error ? err.message : String(err)],
    })));
  }
  const failed = folders.filter((f) => !f.ok);
  if (failed.length) {
    throw new HandoffError('PUBLISH_FAILED', `Publishing ${failed.map((f) => f.folder).join(', ')} failed: ${failed.flatMap((f) => f.errors).join('; ')}`, {
      hint: 'The uploaded files stay where they landed; fix what the message names and retry the job to publish again.',
      details: { jobId: job.id, folders },
    });
  }
  return { kind: 'published', jobId: job.id, folders };
}

async function publishFolder(job: JobHookPayload, meta: PublishJobMetadata, checked: LandedFolder, plan: PublishPlan, services: PublishServices): Promise<FolderPublishResult> {
  const { filename, taskId, destination, landing, asset, version } = checked.verdict;
  const { landed, files } = checked;
  const [resolved] = await services.tracker.resolveTasks([taskId]);
  if (!resolved?.ok) throw new HandoffError('PUBLISH_TASK_GONE', `The task of ${filename} (${taskId}) is no longer in the tracker`, { hint: 'Ask the coordinator what happened to the task.' });
  const context = resolved.context;
  if (!isAssignedToVendor(context, meta.vendor)) {
    throw new HandoffError('PUBLISH_METADATA_INVALID', `${context.path.join(' / ')} is not assigned to ${meta.vendor.code}`, {
      hint: 'Ask the coordinator to assign the task to the vendor, then retry the job.',
    });
  }
  const folder: FolderData = {
    entry: { filename, is_dir: true, size: files.reduce((s, f) => s + f.size, 0) },
    files, ignored: [], unsafe: [], localPath: landed, task: context, asset, version, destination, landing,
  };
  const media = mainSequence(landed, files);
  const instance: PublishInstance = {
    id: filename, name: filename, family: FOLDER_FAMILY,
    ...(media ? { media: { ...media, fps: context.fps } } : {}),
    data: { folder, version: `v${String(version).padStart(3, '0')}` },
    outputs: {},
  };
  const stagingDir = await confinePath(services.hqRoot, path.posix.join(path.posix.dirname(destination), '_proxies'));
  await mkdir(stagingDir, { recursive: true });
  const data: VendorPublishData = { vendor: meta.vendor, user: meta.user, files: [], fields: meta.fields, jobId: job.id, hqRoot: services.hqRoot };
  const publishContext: PublishContext = {
    project: context.project.name, task: context, stagingDir, instances: [instance],
    data: { vendorPublish: data, vendor: meta.vendor.code },
    services: { tracker: services.tracker, media: publishMedia, log: services.log ?? { info: () => undefined, warn: () => undefined } },
  };
  const report = await runPublish(plan, publishContext);
  const published = instance.data.published;
  return {
    folder: filename, ok: report.ok, destination,
    ...(published ? { versionId: published.id, version: published.version, created: published.created } : {}),
    errors: errorsOf(report),
  };
}

function errorsOf(report: PublishReport): string[] {
  return report.results.filter((r) => r.status === 'error').flatMap((r) => r.messages.filter((m) => m.level === 'error').map((m) => `${r.pluginId}: ${m.message}`));
}
