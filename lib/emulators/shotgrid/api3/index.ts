import { SgError } from '../errors.ts';
import type { Reply, Request } from '../server/http.ts';
import type { Site } from '../site.ts';

export function rpcRoute(site: Site, req: Request): Promise<Reply> {
  void site;
  return Promise.reject(new SgError(404, 103, 'Not Found', { detail: `No route for ${req.method} ${req.url.pathname}.` }));
}
