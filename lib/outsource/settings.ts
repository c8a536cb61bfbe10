/**
 * OutsourceSettings: everything the Outsource flow reads — storage volumes,
 * projects, vendors with their tracker users/groups and home shares, what to
 * send per task type, how names are built, and what to change in the tracker.
 * Self-contained (the YAML config embeds it); `parseOutsourceSettings` reports
 * every problem at once.
 */
import { z } from 'zod';
import { HandoffError } from '../core/errors.ts';
import type { sendEntry } from '../core/config/index.ts';
import { outsourceRule } from '../core/config/index.ts';
import { toSafeRelative } from '../core/paths/index.ts';

const text = z.string().trim().min(1, 'expected a non-empty string');
const code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'expected a code: letters, digits, ".", "_" or "-"');
const template = text.refine(
  (value) => /^(?:[^{}]|\{[A-Za-z_][A-Za-z0-9_]*(?::0?\d+)?\})*$/.test(value),
  'expected a template such as "{project}/{sequence}/{shot}": every "{" needs a field name and a closing "}"',
);
const relativeFolder = text.refine((value) => {
  try {
    toSafeRelative(value);
    return true;
  } catch {
    return false;
  }
}, 'expected a relative folder inside the volume (no "..", no leading "/")');
const priority = z.number().int().min(1).max(1000);

const vendorSchema = z
  .object({
    /** Shown to coordinators, e.g. `Compers Inc`. */
    name: text,
    /** Tracker usernames or emails of the vendor's people. */
    users: z.array(text).default([]),
    /** Tracker groups whose members are the vendor's people. */
    groups: z.array(text).default([]),
    /** The vendor's home share inside its volume; `_VENDORS/<code>` otherwise. */
    home: relativeFolder.optional(),
    volume: z.string().optional(),
    folders: z
      .object({
        /** What HQ sends: the vendor may read it. */
        toClient: relativeFolder.default('TO_CLIENT'),
        /** Where the vendor publishes results: the vendor may write it. */
        fromClient: relativeFolder.default('FROM_CLIENT'),
      })
      .prefault({}),
    /** Default transfer priority of this vendor's tasks. */
    priority: priority.default(500),
  })
  .refine((v) => v.users.length + v.groups.length > 0, { message: 'expected users or groups that identify the vendor in the tracker', path: ['users'] });

export const defaultPaths: Readonly<Record<string, string>> = {
  plates: '{project}/{sequence}/{shot}/src/plates',
  references: '{project}/{sequence}/{shot}/src/reference',
};

export const outsourceSettingsSchema = z.object({
  /** The studio's name as vendors know it, used in descriptions. */
  studio: text.default('HQ'),
  /** Storage volumes by name: absolute folders on this machine. The first is the default. */
  volumes: z.record(code, text).default({}),
  defaultVolume: z.string().optional(),
  /** Per project code: its volume and an optional description template. */
  projects: z.record(text, z.object({ volume: z.string().optional(), descriptionTemplate: text.optional() })).default({}),
  vendors: z.record(code, vendorSchema).default({}),
  /** Named path templates (relative to the project's volume) that rules refer to. */
  paths: z
    .record(text, template)
    .default({})
    .transform((paths) => ({ ...defaultPaths, ...paths })),
  /** What to send per tracker task type (any case); `default` for the others. */
  rules: z
    .record(text, outsourceRule)
    .default({ default: { send: [{ template: 'plates', globs: ['**/*'], optional: false }] } }),
  names: z
    .object({
      job: template.default('Outsource - download - {project} - {vendor} - {yymmdd}'),
      /** Where a task's description and manifest are written, next to its files. */
      packageFolder: template.default('{project}/{sequence}/{shot}/{task}/outsource'),
      description: template.default('{project}_{sequence}_{shot}_{task}_description.html'),
      manifest: template.default('{project}_{sequence}_{shot}_{task}_manifest.json'),
      /** The result folder the vendor must publish. */
      delivery: template.default('{project}_{sequence}_{shot}_{task}_v{version:03}'),
    })
    .prefault({}),
  /** Whether a chosen vendor may differ from the vendor a task is assigned to; by default it may not. */
  reassign: z.boolean().default(false),
  /** A Handlebars file replacing the built-in description template (a project's own wins). */
  descriptionTemplate: text.optional(),
  tracker: z
    .object({
      /** Status set on outsourced tasks; null leaves it alone. */
      status: text.nullable().default('Outsourced'),
      /** Adds one note per task and job with the package contents. */
      note: z.boolean().default(true),
    })
    .prefault({}),
});

export type OutsourceSettings = z.output<typeof outsourceSettingsSchema>;
export type OutsourceSettingsInput = z.input<typeof outsourceSettingsSchema>;
export type VendorSettings = OutsourceSettings['vendors'][string];
export type SendEntry = z.output<typeof sendEntry>;

/** Checks settings; every problem is listed with the key it concerns (OUTSOURCE_SETTINGS_INVALID). */
export function parseOutsourceSettings(input: unknown): OutsourceSettings {
  const parsed = outsourceSettingsSchema.safeParse(input ?? {});
  const problems = parsed.success ? crossCheck(parsed.data) : parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  if (!parsed.success || problems.length) {
    throw new HandoffError('OUTSOURCE_SETTINGS_INVALID', `The outsource settings have ${problems.length} problem(s):\n  ${problems.join('\n  ')}`, {
      details: { problems },
      hint: 'Fix the listed keys of the outsource settings.',
    });
  }
  return parsed.data;
}

function crossCheck(settings: OutsourceSettings): string[] {
  const volumes = Object.keys(settings.volumes);
  const problems: string[] = [];
  const checkVolume = (name: string | undefined, key: string) => {
    if (name !== undefined && !volumes.includes(name)) problems.push(`${key}: unknown volume "${name}" (known: ${volumes.join(', ') || 'none'})`);
  };
  checkVolume(settings.defaultVolume, 'defaultVolume');
  for (const [project, p] of Object.entries(settings.projects)) checkVolume(p.volume, `projects.${project}.volume`);
  const owners = new Map<string, string>();
  for (const [vendor, v] of Object.entries(settings.vendors)) {
    checkVolume(v.volume, `vendors.${vendor}.volume`);
    for (const user of v.users) {
      const owner = owners.get(user.toLowerCase());
      if (owner) problems.push(`vendors.${vendor}.users: "${user}" already identifies vendor ${owner}`);
      owners.set(user.toLowerCase(), vendor);
    }
  }
  return problems;
}

/** The rule for a task type (case-insensitive), with the tracker options it overrides. */
export function ruleFor(settings: OutsourceSettings, taskType: string) {
  const key = Object.keys(settings.rules).find((name) => name.toLowerCase() === taskType.toLowerCase());
  const rule = (key ? settings.rules[key] : undefined) ?? settings.rules.default ?? { send: [] };
  return {
    send: rule.send,
    status: rule.status === undefined ? settings.tracker.status : rule.status,
    note: rule.note ?? settings.tracker.note,
  };
}

/** The volume name of a project (its own, else the default, else the first). */
export function volumeOf(settings: OutsourceSettings, project: string): string | undefined {
  return settings.projects[project]?.volume ?? settings.defaultVolume ?? Object.keys(settings.volumes)[0];
}

export function vendorHome(code: string, vendor: VendorSettings): string {
  return toSafeRelative(vendor.home ?? `_VENDORS/${code}`);
}
