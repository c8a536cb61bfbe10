/** The HQ server's public face: `createHqServer` for `handoff serve`, `handoff demo` and tests. */
export { createHqServer, type HqServer } from './hq-server.ts';
export type { HqServerOptions } from './options.ts';
export type { Readiness, Check } from './health.ts';
export type { LiveEvent, AgentView } from './live.ts';
export type { LogEntry, HookRecord, PublishRecord } from './store.ts';
export { localApiOf } from './http-security.ts';
export { signAgentRequest, verifyAgentRequest, AGENT_SCHEME } from './agent-signature.ts';
export { dashboardDir } from './dashboard/index.ts';
export { serverOptionsFromConfig, type ServeOverrides } from './from-config.ts';
export { secretFromEnv, ensureTokenFile } from './secrets.ts';
