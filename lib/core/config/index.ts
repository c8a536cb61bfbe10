/** Public face of the config: load, parse and the typed shape the rest of handoff reads. */
export { findConfigFile, inspectConfig, loadConfig, parseConfig, shippedDefaultConfig } from './load.ts';
export type { ConfigOrigin, ConfigReport, LoadOptions } from './load.ts';
export type { HandoffConfig, HookCommand, HookEntry, HookMoment, OutsourceRule, ProjectConfig, TrackerConfig, VendorConfig } from './resolve.ts';
export type { ConfigIssue } from './issues.ts';
export { hookMoments, outsourceRule, sendEntry } from './workflow.ts';
export { trackerTypes } from './studio.ts';
export { logLevels } from './services.ts';
export { outsourceRuleFor } from './rules.ts';
export { extraTemplateFields } from './templates.ts';
