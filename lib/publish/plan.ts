/**
 * The resolved publish plan for a project: which plugins run, in which order,
 * from which file, with which settings, and which files were replaced.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HandoffError } from '../core/errors.ts';
import { toSafeRelative } from '../core/paths/index.ts';
import { loadPublishConfig, parseSettings } from './config.ts';
import { discoverPlugins } from './discover.ts';
import type { SearchPath } from './discover.ts';
import { bandOf, GIVEN_DATA_KEYS } from './plugin.ts';
import type { PublishPlugin } from './plugin.ts';

export const BUILTIN_TEMPLATES = fileURLToPath(new URL('../../publish-templates', import.meta.url));

export interface PlanOptions {
  /** Studio folder holding `publish-templates/`, `publish.yaml` and `projects/<name>/`. */
  studioRoot?: string | undefined;
  project?: string | undefined;
  /** Project folder; defaults to `<studioRoot>/projects/<project>`. */
  projectRoot?: string | undefined;
  /** Replaces the default built-in → studio → project search paths. */
  searchPaths?: SearchPath[];
  /** Replaces the default `publish.yaml` files (studio, then project). */
  configFiles?: string[];
}

export interface PlanEntry {
  id: string;
  order: number;
  band: ReturnType<typeof bandOf>;
  label: string;
  source: string;
  scope: string;
  enabled: boolean;
  appliesTo: readonly string[] | undefined;
  settings: unknown;
  plugin: PublishPlugin<unknown>;
}

export interface PublishPlan {
  searchPaths: SearchPath[];
  configFiles: string[];
  /** Every winning plugin, enabled or not, sorted by order then id. */
  entries: PlanEntry[];
  replaced: { id: string; source: string; scope: string; replacedBy: string }[];
}

function projectRootOf(options: PlanOptions): string | undefined {
  if (options.projectRoot) return options.projectRoot;
  if (!options.project || !options.studioRoot) return undefined;
  return path.join(options.studioRoot, 'projects', ...toSafeRelative(options.project).split('/'));
}

export function defaultSearchPaths(options: PlanOptions): SearchPath[] {
  const paths: SearchPath[] = [{ scope: 'builtin', dir: BUILTIN_TEMPLATES }];
  if (options.studioRoot) paths.push({ scope: 'studio', dir: path.join(options.studioRoot, 'publish-templates') });
  const projectRoot = projectRootOf(options);
  if (projectRoot) paths.push({ scope: 'project', dir: path.join(projectRoot, 'publish-templates') });
  return paths;
}

export function defaultConfigFiles(options: PlanOptions): string[] {
  const projectRoot = projectRootOf(options);
  return [options.studioRoot, projectRoot].filter((d): d is string => Boolean(d)).map((d) => path.join(d, 'publish.yaml'));
}

/** Needs of enabled plugins that no earlier enabled plugin writes (and no caller gives). */
export function unmetNeeds(entries: readonly PlanEntry[]): string[] {
  const written = new Set<string>(GIVEN_DATA_KEYS);
  const problems: string[] = [];
  for (const entry of entries.filter((e) => e.enabled)) {
    for (const key of entry.plugin.needs ?? []) {
      if (written.has(key)) continue;
      const writers = entries.filter((e) => e.plugin.writes?.includes(key));
      const why = writers.length
        ? `written by ${writers.map((w) => `${w.id}${w.enabled ? ` (runs later, at ${w.order})` : ' (disabled)'}`).join(', ')}`
        : 'which no plugin writes';
      problems.push(`${entry.id} needs instance.data.${key}, ${why}`);
    }
    for (const key of entry.plugin.writes ?? []) written.add(key);
  }
  return problems;
}

export async function planPublish(options: PlanOptions = {}): Promise<PublishPlan> {
  const searchPaths = options.searchPaths ?? defaultSearchPaths(options);
  const discovery = await discoverPlugins(searchPaths);
  const config = await loadPublishConfig(options.configFiles ?? defaultConfigFiles(options));
  const problems: string[] = [];
  const known = new Set(discovery.plugins.map((p) => p.plugin.id));
  for (const id of Object.keys(config.plugins)) {
    if (!known.has(id)) problems.push(`plugins.${id}: no publish plugin has this id`);
  }
  const entries: PlanEntry[] = [];
  for (const { plugin, source, scope } of discovery.plugins) {
    const entry = config.plugins[plugin.id];
    const settings = parseSettings(plugin.id, plugin.settings, entry?.settings);
    if (!settings.ok) problems.push(...settings.problems);
    entries.push({
      id: plugin.id, order: plugin.order, band: bandOf(plugin.order), label: plugin.label, source, scope,
      enabled: entry?.enabled ?? true, appliesTo: plugin.appliesTo, settings: settings.ok ? settings.value : undefined, plugin,
    });
  }
  if (problems.length) {
    throw new HandoffError('PUBLISH_CONFIG_INVALID', `Publish config does not fit the plugins:\n${problems.map((p) => `  ${p}`).join('\n')}`, {
      hint: 'Fix the settings listed in publish.yaml; each plugin documents its settings in its file.',
      details: { files: config.files, problems },
    });
  }
  entries.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
  const unmet = unmetNeeds(entries);
  if (unmet.length) {
    throw new HandoffError('PUBLISH_INPUT_MISSING', `The publish plan cannot run:\n${unmet.map((p) => `  ${p}`).join('\n')}`, {
      hint: 'Enable the plugin that writes the data, or disable the plugin that needs it, in publish.yaml.',
      details: { problems: unmet },
    });
  }
  const replaced = discovery.replaced.map((r) => ({ id: r.plugin.id, source: r.source, scope: r.scope, replacedBy: r.replacedBy }));
  return { searchPaths, configFiles: config.files, entries, replaced };
}
