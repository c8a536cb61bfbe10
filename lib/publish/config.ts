/**
 * Publish config from YAML: it only enables or disables plugins and sets their
 * typed settings. Later files (project) override earlier ones (studio) key by
 * key. Settings are checked against each plugin's own schema, and every
 * problem is reported at once with its YAML path.
 */
import { readFile } from 'node:fs/promises';
import yaml from 'js-yaml';
import { z } from 'zod';
import { HandoffError } from '../core/errors.ts';

const pluginEntry = z.strictObject({
  enabled: z.boolean().optional(),
  settings: z.record(z.string(), z.unknown()).optional(),
});

const configFile = z.strictObject({
  plugins: z.record(z.string(), pluginEntry.nullable()).optional(),
});

export type PluginConfig = z.infer<typeof pluginEntry>;

export interface PublishConfig {
  plugins: Record<string, PluginConfig>;
  /** Files that contributed, in the order applied. */
  files: string[];
}

/** `a.b.c: message` lines from zod issues, under a YAML-ish prefix. */
export function issueLines(prefix: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    const where = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    return `${where}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
}

function invalid(file: string, problems: string[]): HandoffError {
  return new HandoffError('PUBLISH_CONFIG_INVALID', `Publish config ${file} is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`, {
    hint: 'Fix the keys listed; a plugin entry takes only `enabled` and `settings`.',
    details: { file, problems },
  });
}

async function readConfigFile(file: string): Promise<z.infer<typeof configFile> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let parsed: unknown;
  try {
    parsed = yaml.load(text) ?? {};
  } catch (err) {
    throw invalid(file, [`not valid YAML: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`]);
  }
  const result = configFile.safeParse(parsed);
  if (!result.success) throw invalid(file, issueLines('', result.error.issues));
  return result.data;
}

/** Reads the config files that exist, later ones overriding earlier ones. */
export async function loadPublishConfig(files: readonly string[]): Promise<PublishConfig> {
  const config: PublishConfig = { plugins: {}, files: [] };
  for (const file of files) {
    const data = await readConfigFile(file);
    if (!data) continue;
    config.files.push(file);
    for (const [id, entry] of Object.entries(data.plugins ?? {})) {
      const earlier = config.plugins[id] ?? {};
      config.plugins[id] = {
        enabled: entry?.enabled ?? earlier.enabled,
        settings: { ...earlier.settings, ...entry?.settings },
      };
    }
  }
  return config;
}

/** Validates one plugin's settings; unknown keys are refused when the schema is an object. */
export function parseSettings(
  id: string,
  schema: z.ZodType | undefined,
  raw: Record<string, unknown> | undefined,
): { ok: true; value: unknown } | { ok: false; problems: string[] } {
  if (!schema) {
    if (raw && Object.keys(raw).length) return { ok: false, problems: [`plugins.${id}.settings: this plugin takes no settings`] };
    return { ok: true, value: {} };
  }
  const strict = typeof (schema as { strict?: unknown }).strict === 'function' ? (schema as unknown as z.ZodObject).strict() : schema;
  const result = strict.safeParse(raw ?? {});
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: issueLines(`plugins.${id}.settings`, result.error.issues) };
}
