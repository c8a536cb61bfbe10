/**
 * What a schema cannot see alone: names that refer to other sections
 * (volumes, path templates), and the resolved shape consumers read (vendor
 * codes filled in, volumes chosen, hook entries flattened, paths absolute).
 */
import path from 'node:path';
import { isHandoffError } from '../errors.ts';
import { toSafeRelative } from '../paths/index.ts';
import type { RawIssue } from './issues.ts';
import { list, record } from './raw.ts';
import type { ParsedConfig } from './schema.ts';
import { closest } from './suggest.ts';
import { defaultPathTemplates, hookMoments } from './workflow.ts';

export type HookMoment = (typeof hookMoments)[number];

/** One configured hook, in the shape the hook runtime loads. */
export type HookEntry =
  | { on: HookMoment; name?: string; module: string; timeoutMs?: number }
  | { on: HookMoment; name?: string; command: HookCommand; timeoutMs?: number; cwd?: string; env?: Record<string, string> };

/** A hook's command: a line split like a shell would (no shell runs it), `[program, arg, …]`, or either per OS. */
export type HookCommand = string | string[] | { linux?: string | string[]; darwin?: string | string[]; windows?: string | string[]; default?: string | string[] };

/**
 * Checks names that point into other sections. It reads the raw (interpolated)
 * input defensively, so it runs even when other keys fail the schema and all
 * problems are reported together.
 */
export function crossCheck(input: unknown): RawIssue[] {
  const issues: RawIssue[] = [];
  const root = record(input);
  const volumes = Object.keys(record(root.volumes));
  const checkVolume = (name: unknown, at: Array<string | number>) => {
    if (typeof name !== 'string' || volumes.includes(name)) return;
    const guess = closest(name, volumes);
    const known = volumes.length ? `one of ${volumes.join(', ')}` : 'a volume: none are configured under volumes';
    issues.push({ path: at, message: `unknown volume "${name}"; expected ${known}${guess ? ` (did you mean "${guess}"?)` : ''}` });
  };
  checkVolume(root.defaultVolume, ['defaultVolume']);
  if (root.defaultVolume === undefined && volumes.length > 1) {
    issues.push({ path: ['volumes'], message: `expected defaultVolume: there are several volumes (${volumes.join(', ')})` });
  }
  for (const [code, project] of Object.entries(record(root.projects))) checkVolume(record(project).volume, ['projects', code, 'volume']);

  const owners = new Map<string, string>();
  for (const [code, raw] of Object.entries(record(root.vendors))) {
    const vendor = record(raw);
    checkVolume(vendor.volume, ['vendors', code, 'volume']);
    if (typeof vendor.home === 'string') checkRelative(vendor.home, ['vendors', code, 'home'], issues);
    list(vendor.users).forEach((user, i) => {
      if (typeof user !== 'string') return;
      const owner = owners.get(user.toLowerCase());
      if (owner) issues.push({ path: ['vendors', code, 'users', i], message: `user "${user}" already identifies vendor ${owner}; a tracker user belongs to one vendor` });
      else owners.set(user.toLowerCase(), code);
    });
  }

  const names = [...new Set([...Object.keys(defaultPathTemplates), ...Object.keys(record(record(root.naming).paths))])];
  for (const [type, rule] of Object.entries(record(record(root.outsource).rules))) {
    list(record(rule).send).forEach((entry, i) => {
      const name = typeof entry === 'string' ? entry : record(entry).template;
      if (typeof name !== 'string' || /[{/]/.test(name) || names.includes(name)) return;
      const guess = closest(name, names);
      issues.push({
        path: ['outsource', 'rules', type, 'send', i, ...(typeof entry === 'string' ? [] : ['template'])],
        message: `unknown path template "${name}"; expected one of ${names.join(', ')} (naming.paths) or a template with {fields}${guess ? `; did you mean "${guess}"?` : ''}`,
      });
    });
  }
  return issues;
}

function checkRelative(value: string, at: Array<string | number>, issues: RawIssue[]): void {
  try {
    toSafeRelative(value);
  } catch (err) {
    if (!isHandoffError(err)) throw err;
    issues.push({ path: at, message: `expected a relative folder inside the volume: ${String(err.details.reason ?? err.message)}` });
  }
}

/** The config consumers read; only call after crossCheck found nothing. */
export function resolveConfig(config: ParsedConfig, configDir: string) {
  const defaultVolume = config.defaultVolume ?? (Object.keys(config.volumes).length === 1 ? Object.keys(config.volumes)[0] : undefined);
  const fromConfigDir = (p: string) => path.resolve(configDir, p);
  const projects = Object.fromEntries(
    Object.entries(config.projects).map(([code, p]) => [code, { code, fullName: p.fullName ?? code, volume: p.volume ?? defaultVolume, root: p.root ?? code }]),
  );
  const vendors = Object.fromEntries(
    Object.entries(config.vendors).map(([code, v]) => [
      code,
      { code, ...v, home: toSafeRelative(v.home ?? `_VENDORS/${code}`), volume: v.volume ?? defaultVolume },
    ]),
  );
  const entries: HookEntry[] = hookMoments.flatMap((on) =>
    config.hooks[on].map((entry): HookEntry => {
      if (typeof entry === 'string') {
        return /\s/.test(entry) || !/\.(ts|mjs|js)$/.test(entry) ? { on, command: entry } : { on, module: fromConfigDir(entry) };
      }
      const common = { on, ...(entry.name ? { name: entry.name } : {}), ...(entry.timeout !== undefined ? { timeoutMs: entry.timeout } : {}) };
      if (entry.module !== undefined) return { ...common, module: fromConfigDir(entry.module) };
      return { ...common, command: entry.command ?? '', ...(entry.cwd ? { cwd: fromConfigDir(entry.cwd) } : {}), ...(entry.env ? { env: entry.env } : {}) };
    }),
  );
  return {
    ...config,
    defaultVolume,
    projects,
    vendors,
    publish: { ...config.publish, pluginPaths: config.publish.pluginPaths.map(fromConfigDir) },
    hooks: { folders: config.hooks.folders.map(fromConfigDir), entries },
  };
}

export type HandoffConfig = ReturnType<typeof resolveConfig>;
export type VendorConfig = HandoffConfig['vendors'][string];
export type ProjectConfig = HandoffConfig['projects'][string];
export type TrackerConfig = HandoffConfig['tracker'];
export type OutsourceRule = HandoffConfig['outsource']['rules'][string];
