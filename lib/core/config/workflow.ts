/** Config sections that drive the work: naming, outsource rules, publish, hooks. */
import { z } from 'zod';
import { duration, identifier, nonEmpty, template } from './fields.ts';

export const defaultPathTemplates: Readonly<Record<string, string>> = {
  plates: '{project}/{sequence}/{shot}/src/plates',
  references: '{project}/{sequence}/{shot}/src/reference',
};

const field = z.strictObject({
  /** A regular expression (Unicode mode) the whole value must match, e.g. `\d{4}` for shots. */
  pattern: z
    .string()
    .refine((text) => {
      try {
        new RegExp(text, 'u');
        return true;
      } catch {
        return false;
      }
    }, 'expected a valid regular expression')
    .optional(),
  case: z.enum(['lower', 'upper', 'any']).default('any'),
  /** Known values; a name must use one of them (e.g. the studio's task names). */
  values: z.array(nonEmpty).min(1).optional(),
  /** Digits only; on by default for version, frame and padded fields. */
  numeric: z.boolean().optional(),
});

export const namingSection = z.strictObject({
  publishFolder: template.default('{project}_{sequence}_{shot}_{task}_v{version:03}'),
  taskDescription: template.default('{project}_{sequence}_{shot}_{task}_description.html'),
  /** Named path templates, relative to a project's volume; built-in names stay unless overridden. */
  paths: z
    .record(identifier('path template name'), template)
    .default({})
    .transform((paths) => ({ ...defaultPathTemplates, ...paths })),
  fields: z.record(identifier('field name', /^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and "_", like shot or roto_layer'), field).default({}),
});

/** One thing Outsource sends for a task type: a path template and the globs below it. */
export const sendEntry = z.union([
  nonEmpty.transform((name) => ({ template: name, globs: ['**/*'], optional: false })),
  z.strictObject({
    /** A name from naming.paths, or a path template. */
    template: nonEmpty,
    globs: z.array(nonEmpty).min(1).default(['**/*']),
    /** When true, a missing folder is not an error. */
    optional: z.boolean().default(false),
  }),
]);

/** What Outsource sends for one task type, and the tracker updates it overrides. */
export const outsourceRule = z.strictObject({
  send: z.array(sendEntry).default([]),
  /** Overrides outsource.status for this task type. */
  status: nonEmpty.nullable().optional(),
  /** Overrides outsource.note for this task type. */
  note: z.boolean().optional(),
});

export const outsourceSection = z.strictObject({
  jobName: template.default('Outsource - download - {project} - {vendor} - {yymmdd}'),
  /** Tracker status set on outsourced tasks; null leaves the status alone. */
  status: nonEmpty.nullable().default('Outsourced'),
  /** Whether to add a note to each outsourced task. */
  note: z.boolean().default(true),
  /** Whether a coordinator may send a task to a vendor other than the one it is assigned to. */
  reassign: z.boolean().default(false),
  /** Rules per tracker task type (matched without regard to case); `default` for the rest. */
  rules: z
    .record(nonEmpty, outsourceRule)
    .default({ default: { send: [{ template: 'plates', globs: ['**/*'], optional: false }] } })
    .transform((rules): Record<string, z.output<typeof outsourceRule>> => ({ default: { send: [] }, ...rules })),
});

const plugin = z.strictObject({
  enabled: z.boolean().default(true),
  /** An optional plugin's failure is reported as a warning and does not stop the publish. */
  optional: z.boolean().default(false),
  /** Checked by the plugin's own settings schema when it loads. */
  settings: z.record(z.string(), z.unknown()).default({}),
});

const extension = nonEmpty.transform((text) => text.replace(/^\./, '').toLowerCase());

export const publishSection = z.strictObject({
  /** Folders searched for publish plugins after the built-in ones; later folders win. */
  pluginPaths: z.array(nonEmpty).default([]),
  plugins: z.record(identifier('plugin id', /^[a-z][a-z0-9-]*$/, 'lower-case letters, digits and "-", like validate-frame-range'), plugin).default({}),
  /** Allowed file extensions per task type; `default` for the rest. */
  extensions: z
    .record(nonEmpty, z.array(extension))
    .default({})
    .transform((byType) => ({ default: ['exr', 'dpx', 'tif', 'png', 'jpg', 'mov', 'mp4', 'nk'], ...byType })),
  /** Where a published folder lands, relative to the project's volume. */
  destination: template.default('{project}/{sequence}/{shot}/publish/{task}/{folder}'),
  /** Tracker status set on the task after a version is published; null leaves it alone. */
  status: nonEmpty.nullable().default('Pending review'),
  /** Statuses a vendor may pick when publishing, matched to the tracker's without regard to case. */
  vendorStatuses: z.array(nonEmpty).min(1).default(['Pending review', 'In progress']),
  /** `next`: a folder must be the next version; `increasing`: any higher version, gaps warned about. */
  versionPolicy: z.enum(['next', 'increasing']).default('next'),
});

const nameList = z.array(nonEmpty).default([]);

/** Who may launch an action; an action not listed is open to every studio user (never to a vendor's). */
export const actionsSection = z.record(
  identifier('action id', /^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'lower-case words joined by "." or "-", like outsource'),
  z.strictObject({
    allow: z.strictObject({
      /** Tracker groups whose members may launch it, e.g. Coordinators. */
      groups: nameList,
      /** Tracker usernames or emails that may launch it. */
      users: nameList,
    }),
  }),
);

export const hookMoments = ['job.pre-submit', 'job.post-done', 'job.post-failed', 'publish.pre', 'publish.post'] as const;

/** A command line, a list `[program, arg, …]` (nothing is split), or either per OS. */
const commandLine = z.union([nonEmpty, z.array(nonEmpty).min(1, 'expected [program, arg, …]')]);
const hookCommand = z.union([
  commandLine,
  z
    .strictObject({ linux: commandLine.optional(), darwin: commandLine.optional(), windows: commandLine.optional(), default: commandLine.optional() })
    .refine((perOs) => Object.keys(perOs).length > 0, 'expected a command for linux, darwin, windows or default'),
]);

const hookEntry = z.union([
  nonEmpty,
  z.strictObject({
    name: nonEmpty.optional(),
    module: nonEmpty.optional(),
    command: hookCommand.optional(),
    timeout: duration.optional(),
    cwd: nonEmpty.optional(),
    env: z.record(z.string(), z.string()).optional(),
  }).refine((entry) => (entry.module === undefined) !== (entry.command === undefined), 'expected exactly one of "module" or "command"'),
]);

export const hooksSection = z.strictObject({
  /** Folders of hook folders (each with a hook.ts), relative to the config file. */
  folders: z.array(nonEmpty).default([]),
  ...Object.fromEntries(hookMoments.map((moment) => [moment, z.array(hookEntry).default([])])) as Record<
    (typeof hookMoments)[number],
    z.ZodDefault<z.ZodArray<typeof hookEntry>>
  >,
});
