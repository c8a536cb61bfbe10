/** What the API routes share: the server's parts, passed once when the router is built. */
import type { Tracker } from '../../tracker/types.ts';
import type { EmbeddedTransfer } from '../../transfer/embedded.ts';
import type { ConfiguredPrepublish, VendorInfo } from '../../vendor-publish/index.ts';
import type { LiveFeed } from '../live.ts';
import type { Presence } from '../presence.ts';
import type { Recorder } from '../recorder.ts';
import type { ServerStore } from '../store.ts';

export interface ApiContext {
  transfer: EmbeddedTransfer;
  store: ServerStore;
  live: LiveFeed;
  recorder: Recorder;
  presence: Presence;
  tracker?: Tracker | undefined;
  /** Vendors the studio configured, by code. */
  vendors: Record<string, VendorInfo & { name?: string | undefined }>;
  /** A one-time enrolment code for a vendor's agent, when the HQ listener runs. */
  createEnrolmentCode?: ((vendor: string) => Promise<string>) | undefined;
  /** Revokes one of a vendor's agents by name and drops its connection; false when no such active agent. */
  revokeAgent?: ((vendor: string, name: string) => Promise<boolean>) | undefined;
  /** The address vendor agents connect to (`handoff://host:port`). */
  wireUrl?: string | undefined;
  /** This server's HTTP address (set once it listens), for agents' API calls. */
  serverUrl?: string | undefined;
  /** The URL vendors and people reach this server at, when it differs from where it listens. */
  publicUrl?: string | undefined;
  /** The agent address vendors dial, when it differs from where the listener listens. */
  publicWireUrl?: string | undefined;
  /** The studio's pre-publish service (plugins, settings, statuses, `publish.pre` hooks), when a tracker is set. */
  prepublish?: ConfiguredPrepublish | undefined;
  /** SSE keep-alive interval. */
  heartbeatMs: number;
}
