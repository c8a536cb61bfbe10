/**
 * The studio config's say in a vendor publish: who the vendors are, which
 * file types each task type delivers, where publishes go, and the status a
 * vendor's version sets. Applied as plugin settings, so publish.yaml can
 * still refine them per project.
 */
import type { HandoffConfig } from '../core/config/index.ts';
import { HandoffError } from '../core/errors.ts';
import type { PublishPlan } from '../publish/index.ts';
import { DEFAULT_VENDOR_STATUSES } from './prepublish.ts';
import type { VendorInfo } from './types.ts';

type PublishConfig = Pick<HandoffConfig, 'vendors' | 'publish'>;

export function vendorFromConfig(config: Pick<HandoffConfig, 'vendors'>, code: string): VendorInfo {
  const vendor = config.vendors[code];
  if (!vendor) {
    const known = Object.keys(config.vendors);
    throw new HandoffError('PUBLISH_VENDOR_NOT_FOUND', `No vendor with the code ${code} in the config`, {
      hint: known.length ? `Use one of: ${known.join(', ')}.` : 'Add the vendor under `vendors:` in the config.',
      details: { vendor: code, known },
    });
  }
  return { code, group: vendor.name, users: vendor.users, home: vendor.home, fromClient: vendor.folders.fromClient };
}

/** The plan with the config's extensions and destination as plugin settings. */
export function applyPublishConfig(plan: PublishPlan, config: PublishConfig): PublishPlan {
  const allowed = Object.fromEntries(Object.entries(config.publish.extensions).map(([type, list]) => [type.toLowerCase(), list]));
  const entries = plan.entries.map((entry) => {
    const settings = entry.settings as Record<string, unknown> | undefined;
    if (entry.id === 'validate-extensions') return { ...entry, settings: { ...settings, allowed } };
    if (entry.id === 'decide-destination') return { ...entry, settings: { ...settings, publishArea: config.publish.destination } };
    return entry;
  });
  return { ...plan, entries };
}

/** Statuses a vendor may choose: the config's publish status first (the default), then `publish.vendorStatuses`. */
export function vendorStatuses(config: PublishConfig): string[] {
  const listed = config.publish.vendorStatuses ?? DEFAULT_VENDOR_STATUSES;
  const first = config.publish.status ?? listed[0]!;
  return [first, ...listed.filter((s) => s.toLowerCase() !== first.toLowerCase())];
}
