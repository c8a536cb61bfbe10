/**
 * The ShotGrid Tracker: `createShotgridTracker({ siteUrl, scriptName, scriptKey })`,
 * and the typed REST client under it. See docs/shotgrid.md for setting it up.
 */
export { createShotgridTracker, type ShotgridTracker } from './tracker.ts';
export { checkShotgridOptions, defaultFieldNames } from './options.ts';
export type { ShotgridTrackerOptions } from './options.ts';
export { KEYED_TYPES } from './publish.ts';
export * from './client/index.ts';
