/** OutsourceSettings from the studio's handoff config (lib/core/config). */
import type { HandoffConfig } from '../core/config/index.ts';
import { parseOutsourceSettings, type OutsourceSettings } from './settings.ts';

export function settingsFromConfig(config: HandoffConfig): OutsourceSettings {
  return parseOutsourceSettings({
    studio: config.studio.name,
    volumes: Object.fromEntries(Object.entries(config.volumes).map(([name, v]) => [name, v.path])),
    defaultVolume: config.defaultVolume,
    projects: Object.fromEntries(Object.entries(config.projects).map(([code, p]) => [code, { volume: p.volume }])),
    vendors: Object.fromEntries(
      Object.entries(config.vendors).map(([code, v]) => [code, { name: v.name, users: v.users, home: v.home, volume: v.volume, folders: v.folders, priority: v.priority }]),
    ),
    paths: config.naming.paths,
    rules: config.outsource.rules,
    names: { job: config.outsource.jobName, description: config.naming.taskDescription },
    tracker: { status: config.outsource.status, note: config.outsource.note },
    reassign: config.outsource.reassign,
  });
}
