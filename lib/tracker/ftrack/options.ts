/**
 * Options of the ftrack tracker, checked when the tracker is built so a
 * missing or malformed one fails with its name before any request is sent.
 */
import { z } from 'zod';
import { HandoffError } from '../../core/errors.ts';

/** A required non-empty string whose messages say what is missing or empty. */
const text = (what: string) =>
  z.string({ error: (issue) => (issue.input === undefined ? `is missing: give ${what}` : `must be text: ${what}`) }).min(1, { error: `is empty: give ${what}` });

const keys = z.array(z.string().min(1)).min(1);

/** Custom attribute keys read for each part of a task's technical spec; the first present key wins. */
export const defaultAttributeKeys = {
  fps: ['fps'],
  frameStart: ['fstart', 'frameStart', 'frame_start'],
  frameEnd: ['fend', 'frameEnd', 'frame_end'],
  handles: ['handles'],
  handleStart: ['handle_start', 'handleStart'],
  handleEnd: ['handle_end', 'handleEnd'],
  resolution: ['resolution'],
  resolutionWidth: ['resolution_width', 'resolutionWidth', 'width'],
  resolutionHeight: ['resolution_height', 'resolutionHeight', 'height'],
  colourSpace: ['colour_space', 'color_space', 'colourspace', 'colorspace'],
};

export const ftrackTrackerOptionsSchema = z.object({
  serverUrl: z.url({ protocol: /^https?$/ }).transform((url) => url.replace(/\/+$/, '')),
  user: text('the API user (FTRACK_API_USER)'),
  apiKey: text('the API key (FTRACK_API_KEY)'),
  /** Attempts for idempotent calls (reads, status updates) on retryable failures. Default 4. */
  retries: z.number().int().min(1).max(10).default(4),
  /** First backoff delay; doubles each attempt with jitter, capped at 5 s. Default 250 ms. */
  retryDelayMs: z.number().int().min(0).max(60_000).default(250),
  /** Page size for queries that read every row. Default 500. */
  pageSize: z.number().int().min(1).max(5000).default(500),
  /** Asset type for versions when a request names none (short name). Default `upload`. */
  defaultAssetType: z.string().min(1).default('upload'),
  attributeKeys: z
    .object(Object.fromEntries(Object.keys(defaultAttributeKeys).map((k) => [k, keys.optional()])) as Record<keyof typeof defaultAttributeKeys, z.ZodOptional<typeof keys>>)
    .partial()
    .default({}),
});

export type FtrackTrackerOptions = z.input<typeof ftrackTrackerOptionsSchema>;
export type ResolvedFtrackOptions = z.output<typeof ftrackTrackerOptionsSchema> & { keys: typeof defaultAttributeKeys };

export function checkFtrackOptions(input: unknown): ResolvedFtrackOptions {
  const result = ftrackTrackerOptionsSchema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`);
    throw new HandoffError('FTRACK_OPTIONS_INVALID', `ftrack tracker options are invalid:\n  ${problems.join('\n  ')}`, {
      hint: 'Pass serverUrl (http(s)://host:port), user and apiKey; the list names every option that is wrong.',
      details: { problems },
    });
  }
  const keysOf = { ...defaultAttributeKeys };
  for (const [name, value] of Object.entries(result.data.attributeKeys)) if (value) keysOf[name as keyof typeof keysOf] = value;
  return { ...result.data, keys: keysOf };
}
