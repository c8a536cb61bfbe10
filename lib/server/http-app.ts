/** The HTTP side of the server: the express app (health, API, dashboard) and listening on an address. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Logger } from '../core/log.ts';
import { createApiRouter, type ApiContext, type ApiOptions } from './api/index.ts';
import { dashboardRouter } from './dashboard/index.ts';
import { healthRouter, type ReadinessSources } from './health.ts';

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

/** Listens and answers the server with its base URL (a wildcard address is reached on loopback). */
export function listenHttp(app: express.Express, host: string, port: number): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host);
    server.once('error', reject);
    server.once('listening', () => {
      const address = server.address() as AddressInfo;
      const wildcard = address.address === '0.0.0.0' || address.address === '::';
      const name = wildcard ? '127.0.0.1' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({ server, url: `http://${name}:${address.port}` });
    });
  });
}
