/**
 * The Tracker seam: everything actions, hooks and publish plugins need from a
 * production tracker (ftrack, ShotGrid, or the in-memory reference).
 *
 * Ids are opaque strings (ftrack uuids, ShotGrid integers as strings). Dates are
 * `Date` objects in UTC. Optional capabilities are declared in `features`; a
 * caller checks the flag (or the optional member) and falls back.
 */

export interface User {
  id: string;
  username: string;
  email?: string | undefined;
  name: string;
  /**
   * Names of the tracker groups the user belongs to (ftrack Group memberships,
   * ShotGrid Groups). A vendor's people are recognised by their vendor group.
   */
  groups: string[];
}

/** State of a status in the tracker's workflow. */
export type StatusState = 'not_started' | 'in_progress' | 'done' | 'blocked';

export interface Status {
  id: string;
  name: string;
  state: StatusState;
}

export interface Resolution {
  width: number;
  height: number;
}

export interface ProjectInfo {
  id: string;
  /** Short code used in names and paths, e.g. `scd`. */
  name: string;
  fullName: string;
  fps: number;
  resolution?: Resolution | undefined;
  colourSpace?: string | undefined;
  /** Project root folder (relative to a storage volume) when the tracker knows it. */
  root?: string | undefined;
}

export interface FrameRange {
  start: number;
  end: number;
  /** Handle frames before `start` and after `end`. */
  handles: { head: number; tail: number };
}

export interface EntityRef {
  id: string;
  name: string;
}

export interface Note {
  id: string;
  content: string;
  author?: User | undefined;
  createdAt: Date;
}

/** Everything known about one task, resolved once, so callers need no more round trips. */
export interface TaskContext {
  project: ProjectInfo;
  sequence?: EntityRef | undefined;
  /** The shot (or asset build) the task sits under. */
  shot?: (EntityRef & { frameRange?: FrameRange | undefined }) | undefined;
  task: {
    id: string;
    name: string;
    /** Task type, lower-cased, e.g. `compositing`, `cleanup`. */
    type: string;
    status: Status;
    assignees: User[];
  };
  /** Frame rate at the most specific level that sets one (shot, sequence, project). */
  fps: number;
  notes: Note[];
  /** Names from project to task, e.g. `['scd', '0010', '0010', 'cleanup']`. */
  path: string[];
}

export type TaskResolution =
  | { ok: true; id: string; context: TaskContext }
  | { ok: false; id: string; code: string; message: string };

export interface TaskQuery {
  project: string;
  sequence?: string | undefined;
  shot: string;
  task: string;
}

/**
 * A component of a published version: files that stay on studio storage and
 * are referenced by path (never uploaded to the tracker).
 */
export type ComponentSpec =
  | {
      kind: 'file';
      /** Component name, e.g. `main`, `exr`, `nk`. */
      name: string;
      /** Absolute path of the file. */
      path: string;
      size?: number | undefined;
    }
  | {
      kind: 'sequence';
      name: string;
      /** Absolute path pattern with a printf frame token, e.g. `/v/scd/.../plate.%04d.exr`. */
      path: string;
      frames: { start: number; end: number; padding: number };
      size?: number | undefined;
    };

/** A component as the tracker reports it back. */
export interface ComponentInfo {
  id: string;
  name: string;
  kind: 'file' | 'sequence';
  path: string;
}

export interface ReviewableSpec {
  /** Absolute path of an H.264 .mp4 made for review. */
  path: string;
  frameRate: number;
  frameIn: number;
  frameOut: number;
  width: number;
  height: number;
}

export interface PublishRequest {
  taskId: string;
  /** Asset (stream) name, e.g. `scd_0010_0010_cleanup`. */
  asset: string;
  assetType?: string | undefined;
  /** Version number to create; omitted means the next free one. */
  version?: number | undefined;
  /** Same key, same version: a retried publish returns the first result and creates nothing. */
  idempotencyKey: string;
  authorId?: string | undefined;
  components: ComponentSpec[];
  thumbnail?: string | undefined;
  reviewable?: ReviewableSpec | undefined;
  comment?: string | undefined;
  /** Time spent, in seconds, logged on the task by the author. */
  timeSpent?: number | undefined;
  /** Status name to set on the task (and version) after publishing. */
  status?: string | undefined;
}

export interface PublishedVersion {
  id: string;
  version: number;
  taskId: string;
  assetId: string;
  components: ComponentInfo[];
  /** False when the idempotency key matched an earlier publish. */
  created: boolean;
}

export interface VersionInfo {
  id: string;
  /** Asset (stream) name. */
  asset: string;
  assetId: string;
  version: number;
  taskId: string;
  createdAt: Date;
  authorId?: string | undefined;
  comment?: string | undefined;
  status?: Status | undefined;
  /** The components the publish named; the tracker's own thumbnail/review components are not listed. */
  components: ComponentInfo[];
  /** A thumbnail was stored in the tracker. */
  hasThumbnail: boolean;
  /** A review movie was stored in the tracker (ftrack `ftrackreview-mp4`, ShotGrid `sg_uploaded_movie`). */
  hasReviewable: boolean;
}

export interface TimeLogEntry {
  id: string;
  taskId: string;
  userId: string;
  seconds: number;
  comment?: string | undefined;
  start: Date;
}

// ---- actions on the tracker's own channel ---------------------------------

export interface SelectionItem {
  /** Tracker-neutral kind: `task`, `shot`, `sequence`, `project`, `version` or the tracker's own name. */
  entityType: string;
  entityId: string;
}

export interface ActionItem {
  actionIdentifier: string;
  label: string;
  variant?: string | undefined;
  description?: string | undefined;
  icon?: string | undefined;
}

export interface FormItem {
  type: 'text' | 'textarea' | 'number' | 'enumerator' | 'boolean' | 'date' | 'label' | 'hidden';
  name?: string | undefined;
  label?: string | undefined;
  value?: unknown;
  data?: { label: string; value: string }[] | undefined;
  multiSelect?: boolean | undefined;
}

export interface DiscoverRequest {
  selection: SelectionItem[];
  user: User;
}

export interface LaunchRequest extends DiscoverRequest {
  actionIdentifier: string;
  /** Form values when the coordinator submitted a form this action returned. */
  values?: Record<string, unknown> | undefined;
}

/** What a launch answers; `undefined` from a handler means "not my action": nothing is replied. */
export type LaunchResponse =
  | { type: 'message'; success: boolean; message: string }
  | { type: 'form'; title: string; items: FormItem[]; submitButtonLabel?: string | undefined };

/** What the action runtime gives a tracker channel to serve. */
export interface ActionHandler {
  discover(request: DiscoverRequest): Promise<ActionItem[]>;
  /**
   * Channels deliver every launch to every handler (ftrack's JS hub subscribes by topic only);
   * a handler answers `undefined` for an `actionIdentifier` it does not own.
   */
  launch(request: LaunchRequest): Promise<LaunchResponse | undefined>;
}

/** A message shown to a user later, e.g. when long work finishes. */
export interface UserMessage {
  userId: string;
  title?: string | undefined;
  message: string;
  success: boolean;
}

export interface ActionChannel {
  /** Starts answering discover/launch for the handler until the returned close() is called. */
  serve(handler: ActionHandler): Promise<{ close(): Promise<void> }>;
  /** Shows a message to a user outside a launch reply (ftrack trigger-user-interface). */
  notify?(message: UserMessage): Promise<void>;
}

export interface TrackerFeatures {
  /** Serves actions on the tracker's own channel (ftrack event hub, ShotGrid AMI). */
  actions: boolean;
  /** Uploads reviewables/thumbnails to the tracker's own storage. */
  uploads: boolean;
  /** Shows long-running work as tracker jobs with progress. */
  jobs: boolean;
}

export interface JobHandle {
  id: string;
  update(progress: { status?: 'running' | 'done' | 'failed'; description?: string; fraction?: number }): Promise<void>;
}

/**
 * Plays the tracker's own user interface against actions served on its channel: what a
 * coordinator's clicks in the ftrack web UI or a ShotGrid menu would send. The memory tracker
 * has one built in; the ftrack emulator offers the same for `handoff demo` and tests.
 */
export interface TrackerUi {
  /** Actions offered for a selection, gathered from every served handler. */
  discover(selection: SelectionItem[], username: string): Promise<ActionItem[]>;
  /** Launches an offered action; pass `values` to submit the form a previous launch returned. */
  launch(
    item: ActionItem,
    selection: SelectionItem[],
    username: string,
    values?: Record<string, unknown>,
  ): Promise<LaunchResponse | undefined>;
  /** Messages shown to a user outside launch replies (`ActionChannel.notify`), oldest first. */
  messages(username: string): Promise<UserMessage[]>;
}

export interface Tracker {
  readonly name: string;
  readonly features: TrackerFeatures;

  /** Full context for each selected task id, in input order; a bad id yields `ok: false`, never a throw. */
  resolveTasks(ids: string[]): Promise<TaskResolution[]>;
  /**
   * The task with these names (case-sensitive), or undefined. Without `sequence`, a shot name
   * that exists in several sequences throws TRACKER_TASK_AMBIGUOUS naming the candidates.
   */
  findTask(query: TaskQuery): Promise<TaskContext | undefined>;

  /** A user by id, username (exact) or email (case-insensitive); undefined when none. */
  getUser(by: { id: string } | { username: string } | { email: string }): Promise<User | undefined>;
  /** Statuses a task can take, in workflow order. */
  listStatuses(): Promise<Status[]>;

  /**
   * Versions published for a task, optionally only one asset, ordered by asset then number.
   * The next free number of an asset is one more than the highest listed (1 when none).
   */
  listVersions(taskId: string, asset?: string): Promise<VersionInfo[]>;
  /**
   * Publishes a version with its components, thumbnail, reviewable, note (comment), time log
   * and status. Everything is checked before anything is written (task, author, status,
   * explicit number free), so a refused publish leaves no trace. Idempotent by key: a second
   * call with the same key returns the first version with `created: false` and writes nothing.
   */
  publishVersion(request: PublishRequest): Promise<PublishedVersion>;

  addNote(target: { kind: 'task' | 'version'; id: string }, content: string, authorId?: string): Promise<Note>;
  listNotes(target: { kind: 'task' | 'version'; id: string }): Promise<Note[]>;
  logTime(entry: { taskId: string; userId: string; seconds: number; comment?: string; start?: Date }): Promise<TimeLogEntry>;
  listTimeLogs(taskId: string): Promise<TimeLogEntry[]>;
  /** Sets a task's status by name; an unknown name throws TRACKER_STATUS_UNKNOWN listing the valid ones. */
  setTaskStatus(taskId: string, statusName: string): Promise<Status>;

  /** Present when `features.actions`. */
  readonly actions?: ActionChannel | undefined;
  /** Present when `features.jobs`: a tracker-side job showing progress to a user. */
  createJob?(userId: string, description: string): Promise<JobHandle>;

  close(): Promise<void>;
}
