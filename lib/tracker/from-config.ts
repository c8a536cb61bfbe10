/**
 * The one way to open the tracker a config names, for the server, the CLI and the demo. Keys
 * come from the config, else from the environment: `FTRACK_API_KEY` or the file
 * `FTRACK_API_KEY_FILE` names, `SHOTGRID_SCRIPT_KEY` or `SHOTGRID_SCRIPT_KEY_FILE`. The client
 * libraries load only for the tracker in use.
 */
import type { TrackerConfig } from '../core/config/index.ts';
import { HandoffError } from '../core/errors.ts';
import { secretFromEnv } from '../core/secrets.ts';
import { createMemoryTracker } from './memory.ts';
import { loadStudioSeed } from './seed.ts';
import type { Tracker } from './types.ts';

function keyMissing(what: string, where: string, variable: string, details: Record<string, unknown>): HandoffError {
  return new HandoffError('TRACKER_KEY_MISSING', `No ${what} for ${where}`, {
    details,
    hint: `Set ${variable} (or ${variable}_FILE, a file holding it), or the key in the config; \`handoff serve --no-tracker\` runs without a tracker.`,
  });
}

export async function createTracker(config: TrackerConfig, env: NodeJS.ProcessEnv = process.env): Promise<Tracker> {
  if (config.type === 'memory') return createMemoryTracker({ seed: await loadStudioSeed(config.memory.seed) });
  if (config.type === 'ftrack' && config.ftrack) {
    const { serverUrl, user } = config.ftrack;
    const apiKey = config.ftrack.apiKey || (await secretFromEnv('FTRACK_API_KEY', env));
    if (!apiKey) throw keyMissing('ftrack API key', `${user} at ${serverUrl}`, 'FTRACK_API_KEY', { serverUrl, user });
    const { createFtrackTracker } = await import('./ftrack/index.ts');
    return createFtrackTracker({ serverUrl, user, apiKey });
  }
  if (config.type === 'shotgrid' && config.shotgrid) {
    const { scriptKey, ...shotgrid } = config.shotgrid;
    const key = scriptKey || (await secretFromEnv('SHOTGRID_SCRIPT_KEY', env));
    if (!key) throw keyMissing('ShotGrid script key', `${shotgrid.scriptName} at ${shotgrid.siteUrl}`, 'SHOTGRID_SCRIPT_KEY', { siteUrl: shotgrid.siteUrl, scriptName: shotgrid.scriptName });
    const { createShotgridTracker } = await import('./shotgrid/index.ts');
    return createShotgridTracker({ ...shotgrid, scriptKey: key });
  }
  throw new HandoffError('TRACKER_UNSUPPORTED', `The ${config.type ?? 'configured'} tracker cannot be opened: its tracker.${config.type ?? '<type>'} section is missing`, {
    details: { tracker: config.type },
    hint: 'Set tracker.type to ftrack (with tracker.ftrack), shotgrid (with tracker.shotgrid) or memory.',
  });
}
