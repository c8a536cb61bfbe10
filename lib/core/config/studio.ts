/** Config sections that describe the studio: tracker, storage volumes, projects, vendors. */
import { z } from 'zod';
import { fsPath, httpUrl, identifier, nonEmpty, priority } from './fields.ts';

const ftrack = z.strictObject({
  serverUrl: httpUrl,
  user: nonEmpty,
  /** May be empty in a checked-in file; connecting then fails with a clear tracker error. */
  apiKey: z.string(),
});

const shotgrid = z.strictObject({
  siteUrl: httpUrl,
  scriptName: nonEmpty,
  /** May be empty in a checked-in file; SHOTGRID_SCRIPT_KEY (or SHOTGRID_SCRIPT_KEY_FILE) then supplies it. */
  scriptKey: z.string().default(''),
  /** The Project field holding the project code. */
  projectCodeField: nonEmpty.default('code'),
  /** Seconds between event-log polls. */
  pollInterval: z.number().positive().max(3600).default(10),
  /** Text field storing publish keys on Version, PublishedFile, Note and TimeLog. */
  keyField: z.string().regex(/^sg_[a-z0-9_]+$/, 'expected a custom field name such as sg_handoff_key').default('sg_handoff_key'),
  /** Add the key field where it is missing (needs an admin script). */
  createKeyField: z.boolean().default(false),
});

const memory = z.strictObject({
  /** A shipped seed name (`demo`) or the path of a seed YAML file. */
  seed: nonEmpty.default('demo'),
});

export const trackerTypes = ['ftrack', 'shotgrid', 'memory'] as const;

export const trackerSection = z
  .strictObject({
    type: z.enum(trackerTypes).optional(),
    ftrack: ftrack.optional(),
    shotgrid: shotgrid.optional(),
    memory: memory.prefault({}),
  })
  .superRefine((tracker, ctx) => {
    const type = tracker.type;
    if ((type === 'ftrack' || type === 'shotgrid') && !tracker[type]) {
      ctx.addIssue({ code: 'custom', path: [type], message: `expected a "${type}" block: tracker.type is ${type}` });
    }
    if (!type && tracker.ftrack && tracker.shotgrid) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'expected tracker.type: both ftrack and shotgrid are configured' });
    }
  })
  .transform(({ type, ...rest }) => ({
    /** Without `type`, the one configured tracker is used, else the in-memory demo tracker. */
    type: type ?? (rest.ftrack ? 'ftrack' : rest.shotgrid ? 'shotgrid' : 'memory'),
    ...rest,
  }));

const platformKeys = { linux: 'linux', darwin: 'darwin', win32: 'windows' } as const;

/** A storage root; per-OS paths (`windows: 'P:/'`) win over `path` on that OS. */
const volume = z
  .strictObject({
    path: fsPath.optional(),
    linux: fsPath.optional(),
    darwin: fsPath.optional(),
    windows: fsPath.optional(),
    description: z.string().optional(),
  })
  .transform(({ linux, darwin, windows, ...rest }, ctx) => {
    const key = platformKeys[process.platform as keyof typeof platformKeys] ?? 'linux';
    const resolved = { linux, darwin, windows }[key] ?? rest.path;
    if (resolved === undefined) {
      ctx.issues.push({ code: 'custom', message: `expected "path" (or "${key}"): no path for this machine's OS`, input: rest });
      return z.NEVER;
    }
    return { ...rest, path: resolved };
  });

export const volumesSection = z.record(identifier('volume name'), volume);

const project = z.strictObject({
  fullName: nonEmpty.optional(),
  /** The volume holding the project; the default volume otherwise. */
  volume: z.string().optional(),
  /** Folder of the project inside its volume; the project code otherwise. */
  root: nonEmpty.optional(),
});

export const projectsSection = z.record(identifier('project code'), project);

const vendor = z.strictObject({
  name: nonEmpty,
  /** Usernames or emails that identify the vendor's people in the tracker. */
  users: z.array(nonEmpty).min(1, 'expected at least one tracker user for the vendor'),
  /** The vendor's home folder inside its volume; `_VENDORS/<code>` otherwise. */
  home: nonEmpty.optional(),
  volume: z.string().optional(),
  folders: z
    .strictObject({
      /** What HQ sends: the vendor may read it. */
      toClient: nonEmpty.default('TO_CLIENT'),
      /** What the vendor uploads: the vendor may write it. */
      fromClient: nonEmpty.default('FROM_CLIENT'),
    })
    .prefault({}),
  priority: priority.default(500),
});

export const vendorsSection = z.record(identifier('vendor code'), vendor);
