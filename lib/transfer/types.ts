/**
 * The TransferAdapter seam: the only way actions, hooks and the CLI drive
 * transfers. Implementations: `embedded` (the core in this process) and
 * `remote` (the HTTP API of a running `handoff serve`). Both pass
 * test/conformance/transfer.ts.
 */

export type JobStatus = 'init' | 'waiting' | 'running' | 'paused' | 'failed' | 'aborted' | 'done';
export type TaskStatus = 'queued' | 'executing' | 'onhold' | 'excluded' | 'failed' | 'done';

/**
 * One side of a transfer. `hq` is the studio server's storage; `vendor` is a
 * vendor agent identified by its vendor code. Paths are relative to the party's
 * root (a storage volume at HQ, the agent's mapped root at the vendor) and go
 * through the path-safety module on both ends.
 */
export type Party = { kind: 'hq'; volume?: string | undefined } | { kind: 'vendor'; vendor: string };

export interface TaskSpec {
  /** Relative path of a file or folder on the source party. */
  source: string;
  /** Relative path on the destination party; defaults to `source` when the job mirrors paths. */
  destination?: string | undefined;
  /** 1 (lowest) to 1000 (highest); default 500. */
  priority?: number | undefined;
  status?: 'queued' | 'onhold' | undefined;
  metadata?: Record<string, unknown> | undefined;
}

export interface JobSpec {
  name: string;
  source: Party;
  destination: Party;
  /** Files land at the same relative paths on the destination. Default true. */
  mirrorPaths?: boolean | undefined;
  /** Queue name; jobs in higher-priority queues run first. Default `default`. */
  queue?: string | undefined;
  /** Start paused instead of waiting. */
  paused?: boolean | undefined;
  metadata?: Record<string, unknown> | undefined;
  tasks?: TaskSpec[] | undefined;
}

export interface Progress {
  /** 0..1 */
  fraction: number;
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  /** Of the files done, those the destination already held (nothing sent), and their bytes. */
  filesPresent?: number | undefined;
  bytesPresent?: number | undefined;
  /** Files the vendor had changed since HQ last sent them (handled per `transfer.vendorChanged`). */
  filesVendorChanged?: number | undefined;
  /** Bytes per second, smoothed. */
  speed: number;
  /** Seconds remaining, or undefined when unknown. */
  eta?: number | undefined;
}

export interface Job {
  id: string;
  name: string;
  status: JobStatus;
  queue: string;
  /** Order among jobs of the same queue, 0..1000 (starts at the queue's priority). */
  priority?: number | undefined;
  source: Party;
  destination: Party;
  mirrorPaths: boolean;
  metadata: Record<string, unknown>;
  createdAt: Date;
  finishedAt?: Date | undefined;
  progress: Progress;
}

export interface Task {
  id: string;
  jobId: string;
  source: string;
  destination: string;
  priority: number;
  status: TaskStatus;
  bytesTotal: number;
  bytesDone: number;
  files: number;
  /** Files the destination already held in the last attempt (nothing sent). */
  filesPresent?: number | undefined;
  /** Files the vendor had changed since HQ last sent them, and what was done (first 100). */
  vendorChanged?: VendorChangedFile[] | undefined;
  attempts: number;
  lastError?: { code: string; message: string } | undefined;
  metadata: Record<string, unknown>;
  createdAt: Date;
  finishedAt?: Date | undefined;
}

export interface VendorChangedFile {
  path: string;
  /** `overwrite`: HQ's version replaced it; `keep`: it stays and HQ's was not sent; `rename`: set aside as `asideAs`, HQ's delivered. */
  action: 'overwrite' | 'keep' | 'rename';
  asideAs?: string | undefined;
}

export interface AppendResult {
  /** Tasks created by this call. */
  added: Task[];
  /** Existing tasks with the same source and destination, re-queued instead of duplicated. */
  retried: Task[];
}

/** Job lifecycle, closed list; the hook runtime listens to these. */
export type JobEvent =
  | { type: 'job.created'; job: Job }
  | { type: 'job.progress'; job: Job }
  | { type: 'job.status'; job: Job; previous: JobStatus }
  | { type: 'task.status'; job: Job; task: Task; previous: TaskStatus }
  | { type: 'job.post-done'; job: Job; tasks: Task[] }
  | { type: 'job.post-failed'; job: Job; tasks: Task[] };

export interface Share {
  vendor: string;
  /** Folder (relative to the HQ volume) that is the vendor's home. */
  root: string;
  volume?: string | undefined;
}

export interface Grant {
  vendor: string;
  /** Path relative to the HQ volume that the grant covers (and everything below it). */
  path: string;
  read: boolean;
  write: boolean;
}

export interface JobFilter {
  status?: JobStatus[] | undefined;
  name?: string | undefined;
  vendor?: string | undefined;
}

export interface TransferFeatures {
  /** Watch streams events without polling. */
  liveEvents: boolean;
}

export interface TransferAdapter {
  readonly name: string;
  readonly features: TransferFeatures;

  /** The unfinished job with exactly this name, if any. */
  findJob(name: string): Promise<Job | undefined>;
  /** Finds the unfinished job by name or creates it; concurrent calls yield one job. */
  ensureJob(spec: JobSpec): Promise<Job>;
  getJob(id: string): Promise<Job | undefined>;
  listJobs(filter?: JobFilter): Promise<Job[]>;

  /** Appends tasks; a task whose source+destination already exists in the job is retried, not duplicated. */
  appendTasks(jobId: string, tasks: TaskSpec[]): Promise<AppendResult>;
  listTasks(jobId: string): Promise<Task[]>;

  pause(jobId: string): Promise<Job>;
  resume(jobId: string): Promise<Job>;
  /** Job priority (queue order) when taskIds is omitted, else those tasks' priority (1..1000). */
  prioritise(jobId: string, priority: number, taskIds?: string[]): Promise<void>;
  /** Re-queues failed tasks (all failed ones when taskIds is omitted); named tasks on hold or excluded are queued too. */
  retry(jobId: string, taskIds?: string[]): Promise<Task[]>;
  /** Excludes tasks; they stay for audit and never run. */
  exclude(jobId: string, taskIds: string[]): Promise<Task[]>;

  ensureShare(share: Share): Promise<Share>;
  getShare(vendor: string): Promise<Share | undefined>;
  grant(grant: Grant): Promise<void>;
  listGrants(vendor: string): Promise<Grant[]>;

  /** Lifecycle and progress events until the signal aborts. */
  watch(options?: { jobId?: string; signal?: AbortSignal }): AsyncIterable<JobEvent>;

  close(): Promise<void>;
}
