/**
 * The publish runner: small ordered plugin files discovered from built-in,
 * studio and project folders, configured by YAML, run with pyblish's policy
 * (every validator reports; nothing is extracted after a failure).
 */
export { issueLines, loadPublishConfig, parseSettings } from './config.ts';
export type { PluginConfig, PublishConfig } from './config.ts';
export { discoverPlugins, pluginFiles, pluginShapeIssues } from './discover.ts';
export type { Discovery, LoadedPlugin, SearchPath } from './discover.ts';
export { BUILTIN_TEMPLATES, defaultConfigFiles, defaultSearchPaths, planPublish, unmetNeeds } from './plan.ts';
export type { PlanEntry, PlanOptions, PublishPlan } from './plan.ts';
export {
  bandOf, definePublishPlugin, GIVEN_DATA_KEYS, HALT_BEFORE_ORDER, isPublishValidationError, Order, publishApi, PublishValidationError, trackerOf,
} from './plugin.ts';
export type {
  DataKey, InstanceData, InstanceView, ProcessArgs, PublishApi, PublishContext, PublishInstance, PublishLog, PublishPlugin, PublishServices, SettingsSchema,
} from './plugin.ts';
export { runPublish } from './runner.ts';
export type { PluginMessage, PluginResult, PluginStatus, PublishReport } from './runner.ts';
export { publishMedia } from './services.ts';
export type { PublishMedia } from './services.ts';
export { z } from 'zod';
