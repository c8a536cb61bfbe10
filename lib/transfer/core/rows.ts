/** Row shapes of the jobs and tasks tables and their mapping to the adapter types. */
import type { Job, JobStatus, Party, Task, TaskStatus } from '../types.ts';

export interface JobRow {
  id: string;
  name: string;
  status: JobStatus;
  queue: string;
  priority: number;
  source: string;
  destination: string;
  mirror_paths: number;
  metadata: string;
  created_at: number;
  finished_at: number | null;
}

export interface TaskRow {
  id: string;
  job_id: string;
  source: string;
  destination: string;
  priority: number;
  status: TaskStatus;
  bytes_total: number;
  bytes_done: number;
  files: number;
  files_done: number;
  files_present: number;
  bytes_present: number;
  files_vendor_changed: number;
  vendor_changed: string;
  attempts: number;
  next_attempt_at: number | null;
  last_error: string | null;
  metadata: string;
  created_at: number;
  finished_at: number | null;
}

export interface JobTotals {
  bytesTotal: number;
  bytesDone: number;
  filesTotal: number;
  filesDone: number;
  filesPresent: number;
  bytesPresent: number;
  filesVendorChanged: number;
}

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    jobId: row.job_id,
    source: row.source,
    destination: row.destination,
    priority: row.priority,
    status: row.status,
    bytesTotal: row.bytes_total,
    bytesDone: row.bytes_done,
    files: row.files,
    filesPresent: row.files_present,
    vendorChanged: JSON.parse(row.vendor_changed) as Task['vendorChanged'],
    attempts: row.attempts,
    lastError: row.last_error ? (JSON.parse(row.last_error) as { code: string; message: string }) : undefined,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    createdAt: new Date(row.created_at),
    finishedAt: row.finished_at === null ? undefined : new Date(row.finished_at),
  };
}

export function toJob(row: JobRow, totals: JobTotals, speed: number): Job {
  const remaining = totals.bytesTotal - totals.bytesDone;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    queue: row.queue,
    priority: row.priority,
    source: JSON.parse(row.source) as Party,
    destination: JSON.parse(row.destination) as Party,
    mirrorPaths: row.mirror_paths === 1,
    metadata: JSON.parse(row.metadata) as Record<string, unknown>,
    createdAt: new Date(row.created_at),
    finishedAt: row.finished_at === null ? undefined : new Date(row.finished_at),
    progress: {
      fraction: row.status === 'done' ? 1 : totals.bytesTotal > 0 ? Math.min(1, totals.bytesDone / totals.bytesTotal) : 0,
      bytesDone: totals.bytesDone,
      bytesTotal: totals.bytesTotal,
      filesDone: totals.filesDone,
      filesTotal: totals.filesTotal,
      filesPresent: totals.filesPresent,
      bytesPresent: totals.bytesPresent,
      filesVendorChanged: totals.filesVendorChanged,
      speed,
      eta: speed > 0 && remaining > 0 ? remaining / speed : undefined,
    },
  };
}
