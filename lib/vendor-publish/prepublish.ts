/**
 * Pre-publish at HQ: the Collect and Validate bands of the publish plan run on
 * the vendor's folder tree before any byte moves, and every folder gets a
 * verdict with messages a person can act on, its destination, and the fields
 * the vendor fills in.
 */
import os from 'node:os';
import { HandoffError } from '../core/errors.ts';
import { compileTemplate } from '../core/naming/index.ts';
import { HALT_BEFORE_ORDER, planPublish, publishMedia, runPublish } from '../publish/index.ts';
import type { PublishContext, PublishInstance, PublishLog, PublishPlan } from '../publish/index.ts';
import type { HookRuntime } from '../hooks/index.ts';
import type { Tracker } from '../tracker/types.ts';
import { folderOf } from './folder-data.ts';
import { applyPrepublishHooks } from './pre-hooks.ts';
import type { FolderData, VendorPublishData } from './folder-data.ts';
import { checkRequest, resolveVendorAuthor } from './request.ts';
import type { FieldsToFill, PrepublishRequest, PrepublishResponse } from './types.ts';
import { verdictsOf } from './verdicts.ts';

export interface PrepublishServices {
  tracker: Tracker;
  /** The studio's publish plan; default: the built-in publish templates. */
  plan?: PublishPlan | undefined;
  /** Status names a vendor may choose, the first being the default. */
  statuses?: string[] | undefined;
  log?: PublishLog | undefined;
  /** Studio hooks; `publish.pre` ones may refuse or warn about folders after the plugins. */
  hooks?: HookRuntime | undefined;
}

const quiet: PublishLog = { info: () => undefined, warn: () => undefined };

export const DEFAULT_VENDOR_STATUSES = ['Pending review', 'In progress'];

/** The plan cut to the bands that run before the upload (Collect, Validate). */
export function prepublishPlan(plan: PublishPlan): PublishPlan {
  return { ...plan, entries: plan.entries.filter((e) => e.order < HALT_BEFORE_ORDER) };
}

/** Where HQ re-checks files that landed: the folders on disk, and that a retried job may find its version published. */
export interface LandedRecheck {
  /** Absolute path of each dropped folder, by name. */
  localPaths: Record<string, string>;
}

export async function prepublish(request: PrepublishRequest, services: PrepublishServices, landed?: LandedRecheck): Promise<PrepublishResponse> {
  checkRequest(request);
  await resolveVendorAuthor(services.tracker, request.vendor, request.user);
  const plan = services.plan ?? (await planPublish());
  const data: VendorPublishData = {
    vendor: request.vendor, user: request.user, files: request.files, localRoot: request.localRoot,
    ...(landed ? { localPaths: landed.localPaths, landed: true } : {}),
  };
  const context: PublishContext = {
    stagingDir: os.tmpdir(),
    instances: [],
    data: { vendorPublish: data },
    services: { tracker: services.tracker, media: publishMedia, log: services.log ?? quiet },
  };
  const report = await runPublish(prepublishPlan(plan), context);
  const checked = verdictsOf(report, context.instances, (instance) => folderOf(instance));
  const folders = services.hooks ? await applyPrepublishHooks(services.hooks, request, checked) : checked;
  return { folders, fields: await fieldsToFill(services), guidelines: guidelinesOf(plan, context.instances) };
}

async function fieldsToFill(services: PrepublishServices): Promise<FieldsToFill> {
  const known = await services.tracker.listStatuses();
  const wanted = services.statuses ?? DEFAULT_VENDOR_STATUSES;
  // The studio writes them as it likes; the tracker's spelling is what gets sent back.
  const matched = wanted.map((name) => ({ name, status: known.find((s) => s.name.toLowerCase() === name.trim().toLowerCase()) }));
  const missing = matched.filter((m) => !m.status).map((m) => m.name);
  if (missing.length) {
    throw new HandoffError('PUBLISH_STATUS_UNKNOWN', `The vendor statuses ${missing.join(', ')} are not statuses of the tracker`, {
      hint: `Set publish.vendorStatuses to statuses of the tracker: ${known.map((s) => s.name).join(', ')}.`,
      details: { missing, known: known.map((s) => s.name) },
    });
  }
  const names = [...new Set(matched.map((m) => m.status!.name))];
  return {
    comment: true,
    timeReport: true,
    statuses: names.map((name, i) => ({ label: name, value: name, ...(i === 0 ? { default: true } : {}) })),
  };
}

/** The naming rule with an example made from the studio's template and a task of this drop. */
function guidelinesOf(plan: PublishPlan, instances: PublishInstance[]): string {
  const naming = plan.entries.find((e) => e.id === 'validate-folder-name' && e.enabled);
  const template = (naming?.settings as { template?: string } | undefined)?.template;
  if (!template) return 'One folder per task.';
  const example = instances.map((i) => exampleFor(template, i.data.folder as FolderData | undefined)).find(Boolean);
  return `One folder per task, named ${template}${example ? `, e.g. ${example}` : ''}.`;
}

function exampleFor(template: string, folder: FolderData | undefined): string | undefined {
  if (!folder?.task || !folder.fields) return undefined;
  const version = folder.version ?? (Number(folder.fields.version) || 1);
  try {
    return compileTemplate(template).format({ ...folder.fields, version });
  } catch {
    return undefined;
  }
}
