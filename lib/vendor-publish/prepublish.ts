/**
 * Pre-publish at HQ: the Collect and Validate bands of the publish plan run on
 * the vendor's folder tree before any byte moves, and every folder gets a
 * verdict with messages a person can act on, its destination, and the fields
 * the vendor fills in.
 */
import os from 'node:os';
import { HandoffError } from '../core/errors.ts';
import { HALT_BEFORE_ORDER, planPublish, publishMedia, runPublish } from '../publish/index.ts';
import type { PublishContext, PublishLog, PublishPlan } from '../publish/index.ts';
import type { HookRuntime } from '../hooks/index.ts';
import type { Tracker } from '../tracker/types.ts';
import { folderOf } from './folder-data.ts';
import { applyPrepublishHooks } from './pre-hooks.ts';
import type { VendorPublishData } from './folder-data.ts';
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

export async function prepublish(request: PrepublishRequest, services: PrepublishServices): Promise<PrepublishResponse> {
  checkRequest(request);
  await resolveVendorAuthor(services.tracker, request.vendor, request.user);
  const plan = services.plan ?? (await planPublish());
  const data: VendorPublishData = { vendor: request.vendor, user: request.user, files: request.files, localRoot: request.localRoot };
  const context: PublishContext = {
    stagingDir: os.tmpdir(),
    instances: [],
    data: { vendorPublish: data },
    services: { tracker: services.tracker, media: publishMedia, log: services.log ?? quiet },
  };
  const report = await runPublish(prepublishPlan(plan), context);
  const checked = verdictsOf(report, context.instances, (instance) => folderOf(instance));
  const folders = services.hooks ? await applyPrepublishHooks(services.hooks, request, checked) : checked;
  return { folders, fields: await fieldsToFill(services), guidelines: guidelinesOf(plan) };
}

async function fieldsToFill(services: PrepublishServices): Promise<FieldsToFill> {
  const known = await services.tracker.listStatuses();
  const wanted = services.statuses ?? DEFAULT_VENDOR_STATUSES;
  const missing = wanted.filter((name) => !known.some((s) => s.name === name));
  if (missing.length) {
    throw new HandoffError('PUBLISH_STATUS_UNKNOWN', `The vendor statuses ${missing.join(', ')} are not statuses of the tracker`, {
      hint: `Choose among: ${known.map((s) => s.name).join(', ')}.`,
      details: { missing, known: known.map((s) => s.name) },
    });
  }
  return {
    comment: true,
    timeReport: true,
    statuses: wanted.map((name, i) => ({ label: name, value: name, ...(i === 0 ? { default: true } : {}) })),
  };
}

function guidelinesOf(plan: PublishPlan): string {
  const naming = plan.entries.find((e) => e.id === 'validate-folder-name');
  const template = (naming?.settings as { template?: string } | undefined)?.template;
  return template ? `One folder per task, named ${template}, e.g. scd_0010_0010_cleanup_v001.` : 'One folder per task.';
}
