/**
 * Handing a delivery to the transfer core: make sure the vendor's home share
 * and grants exist, find or create today's job by name, append the tasks.
 * Every step is idempotent on the TransferAdapter seam (ensure*, duplicate
 * source+destination is retried), so a request can be replayed safely: a
 * second click re-queues the same files, even after the job has finished.
 */
import type { AppendResult, Grant, Job, JobSpec, Share, TaskSpec, TransferAdapter } from '../transfer/index.ts';

export interface DeliveryRequest {
  job: Omit<JobSpec, 'tasks'>;
  tasks: TaskSpec[];
  share?: Share | undefined;
  grants?: Grant[] | undefined;
}

/** Tasks per append call: a huge delivery never holds the transfer core for long. */
const APPEND_CHUNK = 1000;

export interface DeliveryDone {
  job: Job;
  appended: AppendResult;
}

export async function deliver(transfer: TransferAdapter, request: DeliveryRequest): Promise<DeliveryDone> {
  if (request.share) await transfer.ensureShare(request.share);
  for (const grant of request.grants ?? []) await transfer.grant(grant);
  const job = await todaysJob(transfer, request.job);
  const appended: AppendResult = { added: [], retried: [] };
  for (let start = 0; start < request.tasks.length; start += APPEND_CHUNK) {
    const part = await transfer.appendTasks(job.id, request.tasks.slice(start, start + APPEND_CHUNK));
    appended.added.push(...part.added);
    appended.retried.push(...part.retried);
  }
  return { job, appended };
}

/**
 * The job with this name, finished or not (appending re-opens a finished one, as a
 * daily job should), else a new one. Aborted jobs are left alone.
 */
async function todaysJob(transfer: TransferAdapter, spec: Omit<JobSpec, 'tasks'>): Promise<Job> {
  const named = await transfer.listJobs({ name: spec.name });
  return named.find((job) => job.status !== 'aborted') ?? (await transfer.ensureJob(spec));
}

/** The home share and its two grants: the vendor reads what HQ sends and writes what it returns, nothing else. */
export function shareRequest(vendor: string, home: string, volume: string | undefined, folders: { toClient: string; fromClient: string }) {
  const share: Share = { vendor, root: home, volume };
  const grants: Grant[] = [
    { vendor, path: `${home}/${folders.toClient}`, read: true, write: false },
    { vendor, path: `${home}/${folders.fromClient}`, read: false, write: true },
  ];
  return { share, grants };
}
