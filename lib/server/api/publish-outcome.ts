/** How a vendor's publish upload ended, from the job, its post-done hook runs and its publish records. */
import type { Job } from '../../transfer/types.ts';
import type { HookRecord, PublishRecord } from '../store.ts';

export type PublishState = 'uploading' | 'published' | 'rejected' | 'failed';

export interface PublishOutcome {
  job: { id: string; name: string; status: Job['status'] };
  state: PublishState;
  /** Why it was not published, with the stable code (PUBLISH_LANDING_REJECTED: the upload differs from what was validated). */
  error?: { code: string; message: string } | undefined;
  publishes: PublishRecord[];
}

/** `hooks` and `publishes` newest first, as the store lists them. */
export function publishOutcome(job: Job, hooks: HookRecord[], publishes: PublishRecord[]): PublishOutcome {
  const base = { job: { id: job.id, name: job.name, status: job.status }, publishes };
  const [last] = hooks.filter((h) => h.on === 'job.post-done' && (!h.ok || publishes.length));
  if (last && !last.ok && last.error) {
    return { ...base, state: last.error.code === 'PUBLISH_LANDING_REJECTED' ? 'rejected' : 'failed', error: last.error };
  }
  if (publishes.length && publishes.every((p) => p.ok)) return { ...base, state: 'published' };
  if (job.status === 'failed' || job.status === 'aborted') {
    return { ...base, state: 'failed', error: { code: 'PUBLISH_NOT_LANDED', message: `The upload ${job.status === 'failed' ? 'failed' : 'was stopped'} before everything landed; nothing was published` } };
  }
  return { ...base, state: 'uploading' };
}
