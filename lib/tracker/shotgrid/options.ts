/**
 * Options of the ShotGrid tracker, checked when it is built so a missing or
 * malformed one fails with its name before any request is sent. Configured the
 * way ayon-shotgrid is: the site URL, a script name and key (from the
 * environment or a file, never the YAML), the Project field holding the
 * project code, and the poll interval.
 */
import { z } from 'zod';
import { HandoffError } from '../../core/errors.ts';

const fieldList = z.array(z.string().min(1)).min(1);

/** Fields read for each part of a task's technical spec; the first one set wins (unknown fields read as absent). */
export const defaultFieldNames = {
  fps: ['sg_frame_rate', 'sg_fps'],
  resolutionWidth: ['sg_resolution_width', 'sg_width'],
  resolutionHeight: ['sg_resolution_height', 'sg_height'],
  resolution: ['sg_resolution', 'sg_format'],
  colourSpace: ['sg_colour_space', 'sg_color_space', 'sg_colorspace'],
  root: ['tank_name', 'sg_root'],
};

const stateEnum = z.enum(['not_started', 'in_progress', 'done', 'blocked']);

export const shotgridTrackerOptionsSchema = z
  .object({
    siteUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
    scriptName: z.string().min(1).optional(),
    scriptKey: z.string().min(1).optional(),
    /** A HumanUser login and password instead of a script (sites with legacy login only). */
    login: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    apiPrefix: z.enum(['/api/v1', '/api/v1.1']).default('/api/v1'),
    /** The Project field holding the short project code (`scd`). Default `code`. */
    projectCodeField: z.string().min(1).default('code'),
    /** Seconds between event-log polls for the services that watch ShotGrid. Default 10. */
    pollInterval: z.number().positive().max(3600).default(10),
    /** Text field storing the publish key on Versions, PublishedFiles, Notes and TimeLogs. */
    keyField: z.string().regex(/^sg_[a-z0-9_]+$/).default('sg_handoff_key'),
    /** Add the key field where it is missing (the script needs admin rights); else publishing names what to add. Default false. */
    createKeyField: z.boolean().default(false),
    /** Attribute what a vendor's person publishes to them (`sudo_as_login`) when the script may. Default true. */
    actAsAuthor: z.boolean().default(true),
    /** Workflow state per status code, over the built-in guesses (`wtg` not started, `fin` done …). */
    statusStates: z.record(z.string(), stateEnum).default({}),
    /** Attempts for safe calls on 429/502/503/504 and network failures. Default 4. */
    retries: z.number().int().min(1).max(10).default(4),
    retryDelayMs: z.number().int().min(0).max(60_000).default(250),
    /** Requests in flight at once. Default 8. */
    concurrency: z.number().int().min(1).max(64).default(8),
    pageSize: z.number().int().min(1).max(5000).default(500),
    /** The fetch to send requests with (Node's by default); tests use it to lose answers on the way back. */
    fetch: z.custom<typeof fetch>((v) => typeof v === 'function', 'expected a fetch function').optional(),
    fields: z
      .object(Object.fromEntries(Object.keys(defaultFieldNames).map((k) => [k, fieldList.optional()])) as Record<keyof typeof defaultFieldNames, z.ZodOptional<typeof fieldList>>)
      .partial()
      .default({}),
  })
  .superRefine((o, ctx) => {
    const script = Boolean(o.scriptName || o.scriptKey);
    if (script && !(o.scriptName && o.scriptKey)) ctx.addIssue({ code: 'custom', path: [o.scriptName ? 'scriptKey' : 'scriptName'], message: 'a script needs both scriptName and scriptKey' });
    if (!script && !(o.login && o.password)) ctx.addIssue({ code: 'custom', path: ['scriptKey'], message: 'expected scriptName and scriptKey (or login and password)' });
  });

export type ShotgridTrackerOptions = z.input<typeof shotgridTrackerOptionsSchema>;
export type ResolvedShotgridOptions = z.output<typeof shotgridTrackerOptionsSchema> & { fieldNames: typeof defaultFieldNames };

export function checkShotgridOptions(input: unknown): ResolvedShotgridOptions {
  const result = shotgridTrackerOptionsSchema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
    throw new HandoffError('SHOTGRID_OPTIONS_INVALID', `ShotGrid tracker options are invalid:\n  ${problems.join('\n  ')}`, {
      hint: 'Pass siteUrl (https://studio.shotgrid.autodesk.com), scriptName and scriptKey; the list names every option that is wrong.',
      details: { problems },
    });
  }
  const fieldNames = { ...defaultFieldNames };
  for (const [name, value] of Object.entries(result.data.fields)) if (value) fieldNames[name as keyof typeof fieldNames] = value;
  return { ...result.data, fieldNames };
}
