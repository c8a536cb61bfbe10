/**
 * The ftrack event hub of the emulator (socket.io 0.9 over WebSocket).
 *
 * Wiring for the emulator's HTTP server:
 *
 *   const hub = createEventHub({ authenticate: (user, apiKey) => ({ id, username }) | undefined });
 *   server.on('request', (req, res) => { if (hub.handleRequest(req, res)) return; … });
 *   server.on('upgrade', (req, socket, head) => { if (!hub.handleUpgrade(req, socket, head)) socket.destroy(); });
 *   hub.publish({ topic: 'ftrack.update', data: { entities: [...] } });   // optional, on entity changes
 *   await hub.close();                                                   // before server.close()
 */
export { createEventHub } from './hub.ts';
export type { EventHubOptions, EventHubStats, FtrackEventHub, HubUser } from './hub.ts';
export type { HubEvent, HubEventSource, SubscriberMetadata } from './router.ts';
export { matches, parseExpression } from './expression.ts';
export type { Expression } from './expression.ts';
