/**
 * Preparing one task's package: collect its files from the rules, name its
 * delivery, render and write its description next to its files. Anything
 * wrong with the task becomes a refusal with a reason, never a throw.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { toHandoffError } from '../core/errors.ts';
import { confinePath } from '../core/paths/index.ts';
import type { TaskContext, Tracker } from '../tracker/types.ts';
import { collectTask, type Collected, type CollectProblem } from './collect.ts';
import { builtinDescriptionTemplate, renderDescription } from './description.ts';
import { writeAtomically } from './manifest.ts';
import { formatName, taskFields } from './names.ts';
import { ruleFor, vendorHome, volumeOf, type OutsourceSettings } from './settings.ts';
import type { VendorRef } from './vendors.ts';

/** The vendor's person assigned to the task (who will publish), else a placeholder to fill in. */
function vendorPerson(context: TaskContext, users: readonly string[]): string {
  const known = new Set(users.map((u) => u.toLowerCase()));
  const assignee = context.task.assignees.find((a) => known.has(a.username.toLowerCase()) || (a.email !== undefined && known.has(a.email.toLowerCase())));
  return assignee?.email ?? assignee?.username ?? '<your email>';
}

export interface PreparedTask {
  context: TaskContext;
  where: string;
  vendor: VendorRef;
  volume: string;
  volumeRoot: string;
  collected: Collected;
  /** Volume-relative paths of the description and manifest files. */
  description: string;
  manifest: string;
  delivery: string;
  /** Today's job for the task's project and vendor. */
  job: string;
  rule: ReturnType<typeof ruleFor>;
  warnings: string[];
}

export interface Refusal {
  taskId: string;
  where: string;
  code: string;
  reasons: string[];
}

export interface PrepareInput {
  settings: OutsourceSettings;
  tracker: Tracker;
  context: TaskContext;
  vendor: VendorRef;
  job: string;
  coordinatorNote?: string | undefined;
}

function problemText(p: CollectProblem): string {
  if (p.kind === 'missing') return `${p.name} folder ${p.folder} is missing${p.optional ? ' (optional)' : ''}`;
  return `${p.name}: ${p.message}`;
}

async function nextVersion(tracker: Tracker, taskId: string): Promise<number> {
  const versions = await tracker.listVersions(taskId);
  return versions.reduce((max, v) => Math.max(max, v.version), 0) + 1;
}

export async function prepareTask(input: PrepareInput): Promise<PreparedTask | Refusal> {
  const { settings, context, vendor } = input;
  const where = context.path.join('/');
  const refuse = (code: string, reasons: string[]): Refusal => ({ taskId: context.task.id, where, code, reasons });
  const volume = volumeOf(settings, context.project.name);
  const volumeRoot = volume === undefined ? undefined : settings.volumes[volume];
  if (volume === undefined || volumeRoot === undefined) {
    return refuse('OUTSOURCE_VOLUME_UNKNOWN', [`no storage volume is configured for project ${context.project.name}`]);
  }
  const rule = ruleFor(settings, context.task.type);
  const fields = taskFields(context, vendor.code);
  try {
    const collected = await collectTask({ volumeRoot, send: rule.send, paths: settings.paths, fields });
    const blocking = collected.problems.filter((p) => p.kind === 'refused' || !p.optional);
    if (blocking.length) {
      const code = blocking.some((p) => p.kind === 'refused') ? blocking.find((p) => p.kind === 'refused')!.code : 'OUTSOURCE_SOURCE_MISSING';
      return refuse(code, blocking.map(problemText));
    }
    const version = await nextVersion(input.tracker, context.task.id);
    const folder = formatName(settings.names.packageFolder, fields);
    const description = `${folder}/${formatName(settings.names.description, fields)}`;
    const manifest = `${folder}/${formatName(settings.names.manifest, fields)}`;
    const delivery = formatName(settings.names.delivery, { ...fields, version });
    const home = vendorHome(vendor.code, vendor.settings);
    const text = await renderDescription(
      {
        context,
        studio: settings.studio,
        vendor: { code: vendor.code, name: vendor.settings.name },
        job: input.job,
        delivery: {
          name: delivery,
          next: formatName(settings.names.delivery, { ...fields, version: version + 1 }),
          publishTo: `${home}/${vendor.settings.folders.fromClient}`,
          user: vendorPerson(context, vendor.settings.users),
        },
        coordinatorNote: input.coordinatorNote,
        sources: collected.sources,
      },
      settings.projects[context.project.name]?.descriptionTemplate ?? settings.descriptionTemplate ?? builtinDescriptionTemplate,
    );
    const absolute = await confinePath(volumeRoot, description);
    await mkdir(path.dirname(absolute), { recursive: true });
    if ((await readFile(absolute, 'utf8').catch(() => undefined)) !== text) await writeAtomically(absolute, text);
    return {
      context,
      where,
      vendor,
      volume,
      volumeRoot,
      collected,
      description,
      manifest,
      delivery,
      job: input.job,
      rule,
      warnings: collected.problems.map((p) => `${where}: ${problemText(p)}`),
    };
  } catch (err) {
    const error = toHandoffError(err, 'OUTSOURCE_TASK_FAILED');
    if (error.code.startsWith('OUTSOURCE_TEMPLATE')) throw error;
    return refuse(error.code, [error.message]);
  }
}
