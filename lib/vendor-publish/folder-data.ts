/**
 * What the vendor-publish plugins know about one dropped folder, kept on the
 * publish instance (`instance.data.folder`) so each plugin reads and adds to it.
 */
import { HandoffError } from '../core/errors.ts';
import type { Fields } from '../core/naming/index.ts';
import type { PublishContext, PublishInstance } from '../publish/index.ts';
import type { TaskContext } from '../tracker/types.ts';
import type { MediaFacts, PublishFields, TreeEntry, VendorInfo } from './types.ts';

/** Family of the instances the vendor-publish plugins process. */
export const FOLDER_FAMILY = 'vendor-folder';
/** Family of a loose file dropped next to the folders: never published. */
export const LOOSE_FILE_FAMILY = 'vendor-loose-file';

export interface FolderFile {
  /** `/`-separated path inside the folder. */
  path: string;
  size: number;
  /** XXH3-128 of the bytes, when known (sent by the vendor, or hashed at landing). */
  hash?: string | undefined;
}

export interface FolderData {
  entry: TreeEntry;
  files: FolderFile[];
  /** Junk files (`.DS_Store`, `Thumbs.db`) left out. */
  ignored: string[];
  /** Names refused as unsafe, with why. */
  unsafe: { path: string; message: string }[];
  /** The folder on this machine, when it can be read here. */
  localPath?: string | undefined;
  fields?: Fields | undefined;
  task?: TaskContext | undefined;
  asset?: string | undefined;
  version?: number | undefined;
  /** Production path relative to the HQ volume. */
  destination?: string | undefined;
  /** Upload path relative to the HQ volume. */
  landing?: string | undefined;
  /** Frame facts the vendor sent with the tree (vetted for shape, not trusted for truth). */
  sentMedia?: MediaFacts[] | undefined;
}

declare module '../publish/plugin.ts' {
  interface InstanceData {
    /** The vendor folder an instance stands for (collect-vendor-folders; at HQ, the landed upload). */
    folder: FolderData;
    /** Where integrate-files put the folder's files (absolute). */
    publishedRoot: string;
  }
}

/** Shared by all plugins of a vendor publish run (`context.data.vendorPublish`). */
export interface VendorPublishData {
  vendor: VendorInfo;
  user: string;
  files: TreeEntry[];
  localRoot?: string | undefined;
  /** The folders on this machine by name, when they are not all under `localRoot` (landed files). */
  localPaths?: Record<string, string> | undefined;
  /** True when HQ re-checks files that landed: a retried job may find its own version published. */
  landed?: boolean | undefined;
  /** Set at publish (after the upload): the vendor's fields and the job it came with. */
  fields?: PublishFields | undefined;
  jobId?: string | undefined;
  /** Absolute path of the HQ volume (publish only). */
  hqRoot?: string | undefined;
}

export function folderOf(instance: Pick<PublishInstance<{ folder?: FolderData }>, 'family' | 'data'> | undefined): FolderData | undefined {
  return instance?.family === FOLDER_FAMILY ? instance.data.folder : undefined;
}

export function vendorPublishOf(context: PublishContext): VendorPublishData {
  const data = context.data.vendorPublish as VendorPublishData | undefined;
  if (!data) {
    throw new HandoffError('PUBLISH_CONTEXT_MISSING', 'This plugin runs only in a vendor publish (no vendor, user or folders were given)', {
      hint: 'Run it through `handoff prepublish`/`handoff publish` or the job-post-done hook.',
    });
  }
  return data;
}

/** True when the task is assigned to one of the vendor's people or anyone in its group. */
export function isAssignedToVendor(task: TaskContext, vendor: VendorInfo): boolean {
  const people = new Set(vendor.users.map((u) => u.toLowerCase()));
  return task.task.assignees.some((user) => people.has(user.username.toLowerCase())
    || (user.email !== undefined && people.has(user.email.toLowerCase()))
    || (vendor.group !== undefined && user.groups.includes(vendor.group)));
}

/** `scd_0010_0010_cleanup`: the asset (stream) a folder's versions belong to. */
export function assetName(fields: Fields): string {
  return [fields.project, fields.episode, fields.sequence, fields.shot ?? fields.asset, fields.task].filter(Boolean).join('_');
}

/** `scd / 0010 / 0010 / cleanup / v001` for people. */
export function identOf(fields: Fields | undefined, fallback: string): string {
  if (!fields) return fallback;
  const parts = [fields.project, fields.episode, fields.sequence, fields.shot ?? fields.asset, fields.task].filter(Boolean);
  return fields.version ? [...parts, `v${fields.version}`].join(' / ') : parts.join(' / ');
}
