/**
 * The transfer seam's public face: the TransferAdapter types and the two
 * adapters (embedded core, remote HTTP API), the router that serves the API,
 * and the local transport. The wire (HQ listener, vendor agent, TLS) is
 * imported from './wire/index.ts' by the processes that need it, so its
 * certificate code loads only there.
 */
export type * from './types.ts';
export type { ChunkLedger, FilePlan, ListRequest, SendOptions, Transport, AccessCheck } from './transport.ts';
export { createEmbeddedTransfer } from './embedded.ts';
export type { EmbeddedTransfer, EmbeddedTransferOptions } from './embedded.ts';
export { createRemoteTransfer } from './remote.ts';
export type { RemoteTransferOptions } from './remote.ts';
export { createTransferRouter } from './http-api.ts';
export type { TransferRouterOptions } from './http-api.ts';
export { createLocalTransport } from './local/index.ts';
export type { LocalTransportOptions } from './local/index.ts';
export { createManualClock, systemClock } from './core/index.ts';
export type { Clock, Limits, RetryPolicy, Roots } from './core/index.ts';
