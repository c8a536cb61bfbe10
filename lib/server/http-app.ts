/** The HTTP side of the server: the express app (health, API, dashboard) and listening on an address. */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { HandoffError } from '../core/errors.ts';
import type { Logger } from '../core/log.ts';
import { createApiRouter, type ApiContext, type ApiOptions } from './api/index.ts';
import { dashboardRouter } from './dashboard/index.ts';
import { healthRouter, type ReadinessSources } from './health.ts';
import { guardConnections, type ConnectionGuard } from './http-security.ts';

export function createHttpApp(options: { ctx: ApiContext; api: ApiOptions; readiness: () => ReadinessSources; logger: Logger }): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () =>
      options.logger.debug('HTTP request', { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(performance.now() - started), caller: req.caller?.kind }),
    );
    next();
  });
  app.use(healthRouter(options.readiness));
  app.use('/api', createApiRouter(options.ctx, options.api));
  app.use(dashboardRouter());
  return app;
}

/** How long a peer may take to send a request's headers, and a TLS handshake. */
const HEADERS_MS = 15_000;

/**
 * Listens (HTTPS when `tls` is given) and answers the server with its base URL
 * (a wildcard address is reached on loopback) and the guard that bounds
 * anonymous connections.
 */
export function listenHttp(
  app: express.Express,
  host: string,
  port: number,
  tls?: { cert: string; key: string } | undefined,
): Promise<{ server: Server; url: string; guard: ConnectionGuard }> {
  return new Promise((resolve, reject) => {
    let server: Server;
    try {
      server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2', handshakeTimeout: HEADERS_MS }, app) : createHttpServer(app);
    } catch (err) {
      throw new HandoffError('SERVER_TLS_INVALID', `The HTTPS certificate or key cannot be used: ${(err as Error).message}`, {
        cause: err,
        hint: 'server.tls.cert must hold the certificate chain (PEM, the server certificate first) and server.tls.key its private key.',
      });
    }
    server.headersTimeout = HEADERS_MS;
    const guard = guardConnections(server);
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      const wildcard = address.address === '0.0.0.0' || address.address === '::';
      const name = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({ server, url: `${tls ? 'https' : 'http'}://${name}:${address.port}`, guard });
    });
  });
}
