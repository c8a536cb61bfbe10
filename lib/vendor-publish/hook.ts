/**
 * The job-post-done hook of a vendor publish. A server gives it its tracker
 * and HQ volume once (`useVendorPublishServices`), or builds one with
 * `createVendorPublishHook(services)`. A failure throws: the hook runtime
 * records it with the job, and the landed files stay where they are.
 */
import { HandoffError } from '../core/errors.ts';
import { defineHook } from '../hooks/index.ts';
import type { ModuleHook } from '../hooks/index.ts';
import { publishLandedJob, publishMetadataOf } from './publish-landed.ts';
import type { PublishServices } from './publish-landed.ts';

// Hook files are imported on their own, so the services live on a process-wide key.
const KEY = Symbol.for('handoff.vendor-publish.services');
type Holder = { [KEY]?: PublishServices | undefined };

/** Registers what the job-post-done hook publishes with; undefined clears it. */
export function useVendorPublishServices(services: PublishServices | undefined): void {
  (globalThis as Holder)[KEY] = services;
}

export function vendorPublishServices(): PublishServices {
  const services = (globalThis as Holder)[KEY];
  if (!services) {
    throw new HandoffError('PUBLISH_NOT_CONFIGURED', 'The vendor publish hook has no tracker or HQ volume to publish with', {
      hint: 'Start the HQ server with a tracker and a storage volume configured, then retry the job.',
    });
  }
  return services;
}

export function createVendorPublishHook(services?: PublishServices, name = 'vendor-publish'): ModuleHook<'job.post-done'> {
  return defineHook({
    on: 'job.post-done',
    name,
    timeoutMs: 30 * 60_000,
    async handler(job, { log }) {
      // Deliveries and other jobs pass through, whether or not publishing is set up here.
      if (!publishMetadataOf(job.metadata)) return { kind: 'not-a-publish' } as const;
      const result = await publishLandedJob(job, { ...(services ?? vendorPublishServices()), log: { info: log, warn: (m) => log(`warning: ${m}`) } });
      if (result.kind === 'published') {
        for (const f of result.folders) log(`${f.folder}: version ${f.version}${f.created ? ' published' : ' already published'} at ${f.destination}`);
      }
      return result;
    },
  });
}
