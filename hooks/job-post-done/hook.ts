/**
 * Publishes a vendor's upload once it has landed: proxies, files into the
 * production path, a version in the tracker (docs/publish.md). Jobs that are
 * not vendor publishes pass through untouched.
 */
import { createVendorPublishHook } from 'handoff/sdk';

export default createVendorPublishHook();
