/**
 * What the job-post-done hook of a vendor publish (hooks/job-post-done/hook.ts) gets from
 * whoever runs it: `context.services.vendorPublish`, the tracker and HQ volume to publish with.
 */
import { HandoffError } from '../core/errors.ts';
import type { PublishServices } from './publish-landed.ts';

/** The services of `context.services.vendorPublish`. */
export type VendorPublishServices = PublishServices;

/** The hook's vendor-publish services, or PUBLISH_NOT_CONFIGURED when this server has none. */
export function vendorPublishServices(services: { vendorPublish?: VendorPublishServices | undefined }): VendorPublishServices {
  if (!services.vendorPublish) {
    throw new HandoffError('PUBLISH_NOT_CONFIGURED', 'The vendor publish hook has no tracker or HQ volume to publish with', {
      hint: 'Start the HQ server with a tracker and a storage volume configured, then retry the job.',
    });
  }
  return services.vendorPublish;
}
