/**
 * Finds publish plugin files in ordered search paths (built-in → studio →
 * project) and loads them without a build step: `.ts` through tsx, `.mjs`
 * natively. Files starting with `_` are ignored; a later plugin with the
 * same id replaces the earlier one, and the replacement is recorded.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { HandoffError } from '../core/errors.ts';
import { importTdFile } from '../core/modules/index.ts';
import { publishApi } from './plugin.ts';
import type { PublishPlugin } from './plugin.ts';

export interface SearchPath {
  /** `builtin`, `studio`, `project`, or any label a caller chooses. */
  scope: string;
  dir: string;
}

export interface LoadedPlugin {
  plugin: PublishPlugin<unknown>;
  source: string;
  scope: string;
}

export interface Discovery {
  /** The winning plugin per id, in discovery order. */
  plugins: LoadedPlugin[];
  /** Plugins a later file replaced, with the file that replaced them. */
  replaced: (LoadedPlugin & { replacedBy: string })[];
}

const FILE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)+\.(ts|mjs)$/;
const ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

/** Plugin files of one folder, sorted; a missing folder has none. */
export async function pluginFiles(dir: string): Promise<{ files: string[]; badNames: string[] }> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw err;
  });
  const candidates = names.filter((n) => !n.startsWith('_') && !n.startsWith('.') && /\.(ts|mjs)$/.test(n) && !/\.(test|d)\.ts$/.test(n));
  return {
    files: candidates.filter((n) => FILE_NAME.test(n)).sort().map((n) => path.join(dir, n)),
    badNames: candidates.filter((n) => !FILE_NAME.test(n)).map((n) => path.join(dir, n)),
  };
}

/** Problems with a loaded default export, all at once (empty when it is a plugin). */
export function pluginShapeIssues(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return ['default export is not a plugin object (use definePublishPlugin)'];
  const p = value as Record<string, unknown>;
  const issues: string[] = [];
  if (typeof p.id !== 'string' || !ID.test(p.id)) issues.push('id: expected a kebab-case name such as validate-frame-range');
  if (typeof p.order !== 'number' || !Number.isFinite(p.order)) issues.push('order: expected a number (Order.Validate + 0.1)');
  if (typeof p.label !== 'string' || p.label === '') issues.push('label: expected a non-empty string');
  if (typeof p.process !== 'function') issues.push('process: expected a function');
  if (p.appliesTo !== undefined && !(Array.isArray(p.appliesTo) && p.appliesTo.every((f) => typeof f === 'string'))) {
    issues.push('appliesTo: expected a list of family names');
  }
  for (const list of ['needs', 'uses', 'writes']) {
    if (p[list] !== undefined && !(Array.isArray(p[list]) && p[list].every((k) => typeof k === 'string'))) issues.push(`${list}: expected a list of instance.data keys`);
  }
  if (p.settings !== undefined && typeof (p.settings as { safeParse?: unknown }).safeParse !== 'function') {
    issues.push('settings: expected a zod schema');
  }
  return issues;
}

async function importFile(file: string): Promise<unknown> {
  const exported = await importTdFile(file);
  return typeof exported === 'function' ? (exported as (api: typeof publishApi) => unknown)(publishApi) : exported;
}

/** Loads every plugin of every search path; all problems are reported together. */
export async function discoverPlugins(searchPaths: readonly SearchPath[]): Promise<Discovery> {
  const problems: { source: string; message: string }[] = [];
  const byId = new Map<string, LoadedPlugin>();
  const replaced: Discovery['replaced'] = [];
  for (const { scope, dir } of searchPaths) {
    const { files, badNames } = await pluginFiles(dir);
    for (const source of badNames) problems.push({ source, message: 'file name must be kebab-case, verb first (validate-frame-range.ts)' });
    for (const source of files) {
      let value: unknown;
      try {
        value = await importFile(source);
      } catch (err) {
        problems.push({ source, message: `cannot load: ${err instanceof Error ? err.message : String(err)}` });
        continue;
      }
      const issues = pluginShapeIssues(value);
      if (issues.length) {
        problems.push(...issues.map((message) => ({ source, message })));
        continue;
      }
      const plugin = value as PublishPlugin<unknown>;
      const earlier = byId.get(plugin.id);
      if (earlier) replaced.push({ ...earlier, replacedBy: source });
      byId.delete(plugin.id);
      byId.set(plugin.id, { plugin, source, scope });
    }
  }
  if (problems.length) {
    throw new HandoffError('PUBLISH_PLUGIN_INVALID', `${problems.length} problem(s) in publish plugin files:\n${problems.map((p) => `  ${p.source}: ${p.message}`).join('\n')}`, {
      hint: 'Fix or rename the files listed; prefix a file with _ to keep it out of discovery.',
      details: { problems },
    });
  }
  return { plugins: [...byId.values()], replaced };
}
