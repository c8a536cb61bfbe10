/**
 * Publishes a vendor's upload once it has landed: HQ checks the landed files again, then
 * proxies, files into the production path and a version in the tracker (docs/publish.md).
 * Jobs that are not vendor publishes pass through untouched. A failure throws: the hook
 * runtime records it with the job, and the landed files stay where they are.
 *
 * Needs `services.vendorPublish` (the tracker and HQ volume; the HQ server gives them).
 */
import { defineHook, publishLandedJob, publishMetadataOf, vendorPublishServices, type VendorPublishServices } from 'handoff/sdk';

export default defineHook<'job.post-done', { vendorPublish: VendorPublishServices }>({
  on: 'job.post-done',
  name: 'vendor-publish',
  timeoutMs: 30 * 60_000,
  async handler(job, { log, services }) {
    // Deliveries and other jobs pass through, whether or not publishing is set up here.
    if (!publishMetadataOf(job.metadata)) return { kind: 'not-a-publish' } as const;
    const result = await publishLandedJob(job, { ...vendorPublishServices(services), log: { info: log, warn: (m) => log(`warning: ${m}`) } });
    if (result.kind === 'published') {
      for (const f of result.folders) log(`${f.folder}: version ${f.version}${f.created ? ' published' : ' already published'} at ${f.destination}`);
    }
    return result;
  },
});
