/**
 * The wire: HQ listener, vendor agent, enrolment, and the `wire` Transport that
 * moves files between them over TLS 1.3 with mutual authentication.
 */
export { connectAgent, parseHqUrl } from './agent.ts';
export type { Agent, AgentActivity, AgentOptions, AgentStatus } from './agent.ts';
export type { WireFaults, WireStats } from './context.ts';
export { enrolAgent } from './enrol.ts';
export type { EnrolOptions } from './enrol.ts';
export { createHqListener } from './hq-listener.ts';
export { StreamGovernor, chunkSizeForRoundTrip, streamsForRoundTrip } from './streams.ts';
export type { HqListener, HqListenerOptions, StreamStep } from './hq-listener.ts';
export { createHqIdentity, fingerprint, loadAgentCredentials, loadHqIdentity, saveAgentCredentials } from './identity.ts';
export type { AgentCredentials, HqIdentity } from './identity.ts';
export { createFileRegistry } from './registry.ts';
export type { AgentRegistry } from './registry.ts';
export type { AgentSession } from './session.ts';
export { DEFAULT_TUNING } from './tuning.ts';
export type { WireTuning } from './tuning.ts';
export { createWireTransport } from './wire-transport.ts';
export type { WireTransport, WireTransportOptions } from './wire-transport.ts';
