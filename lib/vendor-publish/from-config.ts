/**
 * The one pre-publish service, built from the studio config: the plugins
 * (built-in, then `publish.pluginPaths`), their settings (`publish.plugins`,
 * `publish.extensions`, `publish.destination`, `naming.publishFolder`,
 * `publish.versionPolicy`), the vendor statuses and the `publish.pre` hooks.
 * The HQ endpoints, the CLI, the demo (through HQ) and the landing check all
 * use it, so every route judges a folder the same way.
 */
import type { HandoffConfig } from '../core/config/index.ts';
import { HandoffError } from '../core/errors.ts';
import { createHookRuntime, loadHooks } from '../hooks/index.ts';
import type { Hook, HookRuntime } from '../hooks/index.ts';
import { BUILTIN_TEMPLATES, parseSettings, planPublish } from '../publish/index.ts';
import type { PlanEntry, PublishPlan } from '../publish/index.ts';
import type { Tracker } from '../tracker/types.ts';
import { applyPublishConfig, vendorStatuses } from './config.ts';
import { prepublish } from './prepublish.ts';
import type { PrepublishServices } from './prepublish.ts';
import type { PrepublishRequest, PrepublishResponse } from './types.ts';

type StudioConfig = Pick<HandoffConfig, 'vendors' | 'publish' | 'naming' | 'hooks'>;

export interface PrepublishService {
  prepublish(request: PrepublishRequest): Promise<PrepublishResponse>;
}

/** The service with what it was built from, for the routes that also publish. */
export interface ConfiguredPrepublish extends PrepublishService {
  services: PrepublishServices & { plan: PublishPlan };
}

function withSettings(entry: PlanEntry, raw: Record<string, unknown>, problems: string[]): PlanEntry {
  const parsed = parseSettings(entry.id, entry.plugin.settings, { ...(entry.settings as Record<string, unknown> | undefined), ...raw });
  if (!parsed.ok) problems.push(...parsed.problems);
  return parsed.ok ? { ...entry, settings: parsed.value } : entry;
}

/** The studio's publish plan: plugins from the built-in and configured folders, settings from the config. */
export async function publishPlanFromConfig(config: StudioConfig): Promise<PublishPlan> {
  const searchPaths = [{ scope: 'builtin', dir: BUILTIN_TEMPLATES }, ...config.publish.pluginPaths.map((dir) => ({ scope: 'studio', dir }))];
  const base = applyPublishConfig(await planPublish({ searchPaths, configFiles: [] }), config);
  const problems: string[] = [];
  const known = new Set(base.entries.map((e) => e.id));
  for (const id of Object.keys(config.publish.plugins)) if (!known.has(id)) problems.push(`publish.plugins.${id}: no publish plugin has this id`);
  const entries = base.entries.map((entry) => {
    let next = entry;
    if (entry.id === 'validate-folder-name') next = withSettings(next, { template: config.naming.publishFolder }, problems);
    if (entry.id === 'validate-version') next = withSettings(next, { policy: config.publish.versionPolicy }, problems);
    const own = config.publish.plugins[entry.id];
    if (own) next = { ...withSettings(next, own.settings, problems), enabled: own.enabled };
    return next;
  });
  if (problems.length) {
    throw new HandoffError('PUBLISH_CONFIG_INVALID', `The publish section of the config does not fit the plugins:\n${problems.map((p) => `  ${p}`).join('\n')}`, {
      hint: 'Fix the plugin ids and settings listed under publish.plugins; each plugin documents its settings in its file.',
      details: { problems },
    });
  }
  return { ...base, entries };
}

/** The config's `publish.pre` hooks (folders and entries). */
export async function prepublishHooksFromConfig(config: StudioConfig): Promise<Hook[]> {
  const loaded = await loadHooks({ folders: config.hooks.folders, entries: config.hooks.entries.filter((e) => e.on === 'publish.pre') });
  return loaded.filter((h) => h.on === 'publish.pre');
}

export interface PrepublishSetup {
  tracker: Tracker;
  /** Hooks already loaded by the caller (HQ loads its own); default: the config's `publish.pre` hooks. */
  hooks?: Hook[] | undefined;
  /** An already built plan (HQ builds it once). */
  plan?: PublishPlan | undefined;
}

export async function prepublishServiceFromConfig(config: StudioConfig, setup: PrepublishSetup): Promise<ConfiguredPrepublish> {
  const plan = setup.plan ?? (await publishPlanFromConfig(config));
  const hooks: HookRuntime = createHookRuntime({ hooks: (setup.hooks ?? (await prepublishHooksFromConfig(config))).filter((h) => h.on === 'publish.pre') });
  const services = { tracker: setup.tracker, plan, statuses: vendorStatuses(config), hooks };
  return { services, prepublish: (request) => prepublish(request, services) };
}

/** The service with the built-in plugins and their default settings (a server or program without a config). */
export async function builtinPrepublishService(setup: PrepublishSetup): Promise<ConfiguredPrepublish> {
  const plan = setup.plan ?? (await planPublish());
  const hooks = createHookRuntime({ hooks: (setup.hooks ?? []).filter((h) => h.on === 'publish.pre') });
  const services = { tracker: setup.tracker, plan, hooks };
  return { services, prepublish: (request) => prepublish(request, services) };
}

/** The service over given parts (tests, programs without a config file). */
export function localPrepublishService(services: PrepublishServices): PrepublishService {
  return { prepublish: (request) => prepublish(request, services) };
}
