import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEventHub } from '../../../../../lib/emulators/ftrack/event-hub/index.ts';
import type { EventHubOptions, FtrackEventHub } from '../../../../../lib/emulators/ftrack/event-hub/index.ts';

export const API_KEY = 'test-key';

/** A loopback HTTP server carrying only the hub; users alice, bob and web share one key. */
export async function serveHub(options: Partial<EventHubOptions> = {}): Promise<{ url: string; hub: FtrackEventHub; close(): Promise<void> }> {
  const hub = createEventHub({
    authenticate: (user, apiKey) => (['alice', 'bob', 'web'].includes(user) && apiKey === API_KEY ? { id: `${user}-id`, username: user } : undefined),
    ...options,
  });
  const server = createServer((req, res) => {
    if (hub.handleRequest(req, res)) return;
    res.writeHead(404).end();
  });
  server.on('upgrade', (req, socket, head) => {
    if (!hub.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    hub,
    async close() {
      await hub.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves when `check` returns true, polling on a short interval; rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
