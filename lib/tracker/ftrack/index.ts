/**
 * The ftrack Tracker: `createFtrackTracker({ serverUrl, user, apiKey })`.
 * See docs/ftrack.md for the options, what is batched and what is retried.
 */
export { createFtrackTracker } from './tracker.ts';
export { checkFtrackOptions, defaultAttributeKeys } from './options.ts';
export type { FtrackTrackerOptions } from './options.ts';
export { q as ftrackExpression } from './connection.ts';
