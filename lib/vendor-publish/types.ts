/**
 * Shapes of a vendor publish: the folder tree a vendor drops (modelled on the
 * accsyn pre-publish input), who the vendor is, the per-folder verdicts HQ
 * answers, and the metadata a publish upload job carries to the post-done hook.
 */

/** One file or folder of a vendor's drop; folders list what they hold. */
export interface TreeEntry {
  /** Echoed back in the verdict so a client can match answers to its rows. */
  id?: string | undefined;
  filename: string;
  is_dir: boolean;
  /** Bytes; a folder's size is the sum of the files it holds. */
  size: number;
  /** Modification time, ISO 8601, when known. */
  modified?: string | undefined;
  /** On a file: XXH3-128 (32 hex digits) of its bytes, computed by the vendor; HQ compares the landed file with it. */
  hash?: string | undefined;
  files?: TreeEntry[] | undefined;
  /** Set by the vendor's walker when it refused the entry (a symlink leaving the folder). */
  refused?: string | undefined;
  /** On a dropped folder: one frame header per image sequence, read on the vendor side. */
  media?: MediaFacts[] | undefined;
}

/** What one frame's header says; sent with the tree and read again when the frames land. */
export interface MediaFacts {
  /** The frame read, `/`-separated, relative to its folder. */
  frame: string;
  format: string;
  width: number;
  height: number;
  /** Channel names (EXR), in header order. */
  channels: string[];
  /** EXR compression, e.g. `zip`. */
  compression?: string | undefined;
}

/** A vendor company as HQ knows it. */
export interface VendorInfo {
  /** Short code used in job names and folders, e.g. `CompersInc`. */
  code: string;
  /** The vendor's tracker group, e.g. `Compers Inc`; its members' tasks are the vendor's. */
  group?: string | undefined;
  /** Tracker usernames or emails of the vendor's people. */
  users: string[];
  /** The vendor's home folder in the HQ volume; default `_VENDORS/<code>`. */
  home?: string | undefined;
  /** Folder under the home the vendor writes to; default `FROM_CLIENT`. */
  fromClient?: string | undefined;
}

export interface PrepublishRequest {
  vendor: VendorInfo;
  /** The tracker username or email of the person publishing. */
  user: string;
  files: TreeEntry[];
  /**
   * Where the dropped entries can be read on this machine (a local run, or
   * files that already landed): lets validators read image headers.
   */
  localRoot?: string | undefined;
}

export type Verdict = 'can_publish' | 'warning' | 'rejected';

export interface VerdictMessage {
  level: 'info' | 'warning' | 'error';
  /** Short, e.g. `Frames missing`. */
  title: string;
  message: string;
  /** How to fix it. */
  hint?: string | undefined;
  /** The plugin that said it. */
  source: string;
}

export interface FolderVerdict {
  id?: string | undefined;
  filename: string;
  /** Human label, e.g. `scd / 0010 / 0010 / cleanup / v001`. */
  ident: string;
  verdict: Verdict;
  can_publish: boolean;
  messages: VerdictMessage[];
  taskId?: string | undefined;
  asset?: string | undefined;
  version?: number | undefined;
  /** Production path (relative to the HQ volume) the folder is published to. */
  destination?: string | undefined;
  /** Path (relative to the HQ volume) the upload lands at, in the vendor's FROM_CLIENT. */
  landing?: string | undefined;
  files: number;
  size: number;
  /** Junk files left out (`.DS_Store`): uploaded with the folder, never published. */
  ignored?: string[] | undefined;
}

export interface StatusChoice {
  label: string;
  value: string;
  default?: boolean | undefined;
}

/** What the vendor fills in before the upload starts. */
export interface FieldsToFill {
  comment: boolean;
  timeReport: boolean;
  statuses: StatusChoice[];
}

export interface PrepublishResponse {
  folders: FolderVerdict[];
  fields: FieldsToFill;
  /** The naming rule, shown to the vendor. */
  guidelines: string;
}

export interface PublishFields {
  comment?: string | undefined;
  /** Seconds spent. */
  timeSpent?: number | undefined;
  status?: string | undefined;
}

/** Job metadata of a vendor publish upload, read by the job-post-done hook. */
export interface PublishJobMetadata {
  kind: 'vendor-publish';
  vendor: VendorInfo;
  user: string;
  fields: PublishFields;
  folders: FolderVerdict[];
  /** Exactly what HQ validated per publishable folder: the files uploaded, and the frame facts sent. */
  validated: ValidatedFolder[];
}

export interface ValidatedFolder {
  folder: string;
  /** `hash`: the content hash the vendor sent (absent from old clients; HQ then records the landed file's). */
  files: { path: string; size: number; hash?: string | undefined }[];
  media: MediaFacts[];
}

export const PUBLISH_METADATA_KEY = 'handoff_publish';
