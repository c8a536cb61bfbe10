/**
 * How the vendor side asks HQ for pre-publish. In-process for a local run;
 * the HQ server's HTTP endpoint serves the same function to vendors.
 */
import { prepublish } from './prepublish.ts';
import type { PrepublishServices } from './prepublish.ts';
import type { PrepublishRequest, PrepublishResponse } from './types.ts';

export interface PrepublishService {
  prepublish(request: PrepublishRequest): Promise<PrepublishResponse>;
}

export function localPrepublishService(services: PrepublishServices): PrepublishService {
  return { prepublish: (request) => prepublish(request, services) };
}
