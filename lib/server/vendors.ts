/** The vendors HQ knows from the studio config, in the shape pre-publish and the API use. */
import type { HandoffConfig } from '../core/config/index.ts';
import type { VendorInfo } from '../vendor-publish/index.ts';

export type ServerVendor = VendorInfo & { name: string };

export function vendorsOf(config: HandoffConfig | undefined): Record<string, ServerVendor> {
  if (!config) return {};
  return Object.fromEntries(
    Object.values(config.vendors).map((v) => [v.code, { code: v.code, name: v.name, group: v.name, users: v.users, home: v.home, fromClient: v.folders.fromClient }]),
  );
}
