/**
 * The vendor agent: enrolment with HQ's one-time code, running unattended
 * (deliveries land in the vendor root with mirrored paths), status, and vendor
 * publishes through HQ's API. docs/agent.md.
 */
export { agentFiles, defaultAgentHome, readAgentSettings, readAgentStatus } from './home.ts';
export type { AgentSettings, AgentState, AgentStatusFile, AgentTransfer } from './home.ts';
export { enrolAgentHome } from './enrol.ts';
export type { EnrolHomeOptions } from './enrol.ts';
export { runAgent } from './run.ts';
export type { RunAgentOptions, RunningAgent } from './run.ts';
export { agentReport } from './status.ts';
export type { AgentReport } from './status.ts';
export { createHqClient } from './hq-client.ts';
export type { HqAuth, HqClient } from './hq-client.ts';
export { outcomeError, prepareDrop, prepublishDrop, publishDrop, waitForPublish } from './publish.ts';
export type { PublishAnswer, PublishOutcome, VendorDrop } from './publish.ts';
