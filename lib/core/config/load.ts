/**
 * Reading a config: find the file, parse YAML (keeping positions), fill in
 * `${ENV}` references, validate, cross-check and resolve. Every problem in
 * the file is reported at once, each with file:line:column and key path.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { HandoffError } from '../errors.ts';
import { redactText, redactYamlSnippet } from '../redact.ts';
import { interpolateEnv } from './env.ts';
import { formatPath, fromZodIssues, type ConfigIssue, type RawIssue } from './issues.ts';
import { crossCheck, resolveConfig, type HandoffConfig } from './resolve.ts';
import { configSchema } from './schema.ts';
import { checkTemplates } from './templates.ts';
import { parseYamlWithPositions, type ParsedYaml } from './yaml-positions.ts';

export const shippedDefaultConfig = fileURLToPath(new URL('../../../config/default.yaml', import.meta.url));

export type ConfigOrigin = 'argument' | 'env' | 'cwd' | 'default';

export interface ConfigReport {
  file: string;
  origin: ConfigOrigin;
  config: HandoffConfig;
  /** Valid but probably unintended, e.g. an empty tracker API key. */
  warnings: ConfigIssue[];
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Parses config text; `file` names it in errors and anchors relative paths. */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv = process.env): HandoffConfig {
  return readConfig(text, file, env).config;
}

/** Loads the config: `file`, else $HANDOFF_CONFIG, else ./handoff.yaml, else the shipped default. */
export async function loadConfig(file?: string, options: LoadOptions = {}): Promise<HandoffConfig> {
  return (await inspectConfig(file, options)).config;
}

/** Like loadConfig, and also says which file was used, why, and what looks unintended. */
export async function inspectConfig(file?: string, options: LoadOptions = {}): Promise<ConfigReport> {
  const env = options.env ?? process.env;
  const found = await findConfigFile(file, options);
  let text: string;
  try {
    text = await readFile(found.file, 'utf8');
  } catch (cause) {
    throw new HandoffError('CONFIG_UNREADABLE', `Cannot read config ${found.file}: ${(cause as Error).message}`, {
      cause,
      details: { file: found.file },
      hint: 'Check that the path is a file and that this user may read it.',
    });
  }
  return { ...found, ...readConfig(text, found.file, env) };
}

/** Which config file applies, without reading it. */
export async function findConfigFile(file?: string, options: LoadOptions = {}): Promise<{ file: string; origin: ConfigOrigin }> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const exists = (p: string) => stat(p).then(() => true, (err: NodeJS.ErrnoException) => err.code !== 'ENOENT');
  const explicit = file ? { file: path.resolve(cwd, file), origin: 'argument' as const, from: 'the command line' } : env.HANDOFF_CONFIG ? { file: path.resolve(cwd, env.HANDOFF_CONFIG), origin: 'env' as const, from: '$HANDOFF_CONFIG' } : undefined;
  if (explicit) {
    if (await exists(explicit.file)) return { file: explicit.file, origin: explicit.origin };
    throw new HandoffError('CONFIG_NOT_FOUND', `Config file ${explicit.file} (from ${explicit.from}) does not exist`, {
      details: { file: explicit.file, origin: explicit.origin },
      hint: 'Check the path, or run `handoff config check` without a file to use ./handoff.yaml or the shipped default.',
    });
  }
  const local = path.join(cwd, 'handoff.yaml');
  if (await exists(local)) return { file: local, origin: 'cwd' };
  return { file: shippedDefaultConfig, origin: 'default' };
}

function readConfig(text: string, file: string, env: NodeJS.ProcessEnv): { config: HandoffConfig; warnings: ConfigIssue[] } {
  const parsed = parseYaml(text, file);
  const root = parsed.value ?? {};
  const place = (issue: RawIssue): ConfigIssue => ({ file, path: formatPath(issue.path), ...parsed.positionOf(issue.path), message: issue.message });
  if (typeof root !== 'object' || Array.isArray(root)) {
    throw invalid(file, [place({ path: [], message: 'expected a mapping of sections (tracker:, volumes:, vendors: ...) at the top of the file' })]);
  }
  // Top-level keys starting with `x-` hold YAML anchors for reuse; handoff ignores them.
  const sections = Object.fromEntries(Object.entries(root).filter(([key]) => !key.startsWith('x-')));
  const { value, missing } = interpolateEnv(sections, env);
  const envIssues = missing.map(({ path: at, variable }) => ({
    path: [...at],
    message: `environment variable ${variable} is not set; set it, or write \${${variable}:-default} for a fallback`,
  }));
  const envPaths = new Set(envIssues.map((issue) => formatPath(issue.path)));
  const result = configSchema.safeParse(value, { reportInput: true });
  const schemaIssues = dedupe([...(result.success ? [] : fromZodIssues(result.error.issues)), ...crossCheck(value), ...checkTemplates(value)]).filter(
    (issue) => !envPaths.has(formatPath(issue.path)),
  );
  const issues = [...envIssues, ...schemaIssues].map(place).sort((a, b) => a.line - b.line || a.column - b.column);
  if (schemaIssues.length > 0) throw invalid(file, issues);
  if (envIssues.length > 0 || !result.success) throw envMissing(file, issues, missing.map((m) => m.variable));
  const config = resolveConfig(result.data, path.dirname(file));
  return { config, warnings: warningsFor(config).map(place) };
}

/** One issue per key path: the schema's own message wins over a cross-check on the same key. */
function dedupe(issues: RawIssue[]): RawIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = formatPath(issue.path);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function parseYaml(text: string, file: string): ParsedYaml {
  try {
    return parseYamlWithPositions(text, file);
  } catch (err) {
    if (!(err instanceof yaml.YAMLException)) throw err;
    const line = err.mark ? err.mark.line + 1 : 1;
    const column = err.mark ? err.mark.column + 1 : 1;
    // The parser's own error (kept out as the cause) quotes the file unmasked.
    const snippet = err.mark?.snippet ? `\n${redactYamlSnippet(err.mark.snippet, text)}` : '';
    throw new HandoffError('CONFIG_YAML_SYNTAX', `${file}:${line}:${column}: YAML syntax error: ${redactText(err.reason)}${snippet}`, {
      details: { file, line, column, reason: err.reason },
      hint: 'Fix the YAML at that line: check indentation, the ":" after each key, and quote values containing ": " or "#".',
    });
  }
}

function lines(issues: ConfigIssue[]): string {
  return issues.map((i) => `  ${i.file}:${i.line}:${i.column} ${i.path}: ${i.message}`).join('\n');
}

function invalid(file: string, issues: ConfigIssue[]): HandoffError {
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return new HandoffError('CONFIG_INVALID', `Config ${file} has ${count}:\n${lines(issues)}`, {
    details: { file, issues },
    hint: 'Fix each listed key (docs/config.md describes every key), then run `handoff config check` again.',
  });
}

function envMissing(file: string, issues: ConfigIssue[], variables: string[]): HandoffError {
  const names = [...new Set(variables)];
  return new HandoffError('CONFIG_ENV_MISSING', `Config ${file} uses unset environment variable${names.length === 1 ? '' : 's'} ${names.join(', ')}:\n${lines(issues)}`, {
    details: { file, variables: names, issues },
    hint: `Export ${names.join(', ')} before running handoff, or give a fallback with \${NAME:-default}.`,
  });
}

function warningsFor(config: HandoffConfig): RawIssue[] {
  const warnings: RawIssue[] = [];
  const { type, ftrack, shotgrid } = config.tracker;
  if (type === 'ftrack' && ftrack?.apiKey === '') warnings.push({ path: ['tracker', 'ftrack', 'apiKey'], message: 'empty: connecting to ftrack will fail until it is set (e.g. via FTRACK_API_KEY)' });
  if (type === 'shotgrid' && shotgrid?.scriptKey === '') warnings.push({ path: ['tracker', 'shotgrid', 'scriptKey'], message: 'empty: connecting to ShotGrid will fail unless SHOTGRID_SCRIPT_KEY (or SHOTGRID_SCRIPT_KEY_FILE) is set' });
  if (config.server.adminTokens.length === 0) warnings.push({ path: ['server', 'adminTokens'], message: 'no admin token in the config: `handoff serve` then reads HANDOFF_ADMIN_TOKENS (or HANDOFF_ADMIN_TOKENS_FILE), else generates one into <transfer.dataDir>/admin-token and prints where' });
  return warnings;
}
