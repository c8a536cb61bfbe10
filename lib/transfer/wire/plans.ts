/**
 * An agent's listing on the wire and its checks at HQ. The agent answers each
 * request with its files as `[path below the request's source, size, mtimeMs]`
 * (`''` when the source is a file), deflated: a 2,000-file listing is about
 * 20 KB instead of 340 KB of full plans, which counts on a long link whose
 * control connection starts slow. HQ rebuilds sources and destinations from its own requests, so
 * an entry can only name a safe path under a requested source.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { HandoffError } from '../../core/errors.ts';
import { toSafeRelative } from '../../core/paths/index.ts';
import type { FilePlan, ListRequest } from '../transport.ts';
import { keepFormOrUndefined } from './names.ts';

/** One file of a listing: its path below the request's source, size and mtime. */
export type ListedFile = [below: string, size: number, mtimeMs: number];

/** The agent's side: each request's plans (in request order) as listed files. */
export function toListing(requests: ListRequest[], plansPerRequest: FilePlan[][]): ListedFile[][] {
  return plansPerRequest.map((plans, at) => {
    const source = toSafeRelative(requests[at]!.source);
    return plans.map((plan): ListedFile => [plan.source === source ? '' : plan.source.slice(source.length + 1), plan.size, plan.mtimeMs]);
  });
}

/** Largest listing HQ inflates (about five million files). */
const MAX_LISTING_BYTES = 512 * 1024 * 1024;

/** A listing as it crosses the control connection: deflated JSON (paths repeat a lot), in base64. */
export function packListing(listing: ListedFile[][]): { z: string } {
  return packJson(listing);
}

export function unpackListing(packed: unknown): unknown {
  return unpackJson(packed);
}

/** Any list of paths on the control connection (listings, `held` questions and answers), deflated. */
export function packJson(value: unknown): { z: string } {
  return { z: deflateRawSync(JSON.stringify(value)).toString('base64') };
}

export function unpackJson(packed: unknown): unknown {
  const z = (packed as { z?: unknown } | null)?.z;
  if (typeof z !== 'string') throw invalid('the listing is not packed');
  try {
    return JSON.parse(inflateRawSync(Buffer.from(z, 'base64'), { maxOutputLength: MAX_LISTING_BYTES }).toString('utf8'));
  } catch {
    throw invalid('the packed listing does not unpack');
  }
}

/** HQ's side: checks a listing against the requests and rebuilds the plans. */
export function validatePlans(input: unknown, requests: ListRequest[]): FilePlan[] {
  if (!Array.isArray(input) || input.length !== requests.length) throw invalid('the listing does not answer each request');
  const plans: FilePlan[] = [];
  input.forEach((files: unknown, at) => {
    if (!Array.isArray(files)) throw invalid('the files of a request are not a list');
    const request = requests[at]!;
    const source = toSafeRelative(request.source);
    const destination = toSafeRelative(request.destination);
    for (const entry of files as unknown[]) {
      if (!Array.isArray(entry) || entry.length !== 3) throw invalid('an entry is not [path, size, mtime]');
      const [below, size, mtimeMs] = entry as unknown[];
      if (typeof below !== 'string') throw invalid('a path is not text');
      if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw invalid('a size is not a byte count');
      if (typeof mtimeMs !== 'number' || !Number.isFinite(mtimeMs)) throw invalid('an mtime is not a number');
      if (below === '') {
        plans.push({ taskId: request.taskId, source, destination, size, mtimeMs });
        continue;
      }
      // Only a path already in its safe form is taken: no `..`, no absolute path, nothing to clean away (its Unicode form is kept).
      if (keepFormOrUndefined(below) !== below) throw invalid(`${below} is outside the requested sources`);
      plans.push({ taskId: request.taskId, source: `${source}/${below}`, destination: `${destination}/${below}`, size, mtimeMs });
    }
  });
  return plans;
}

function invalid(reason: string): HandoffError {
  return new HandoffError('WIRE_PROTOCOL', `The agent sent an invalid listing: ${reason}`, {
    details: { reason },
    hint: 'Make sure HQ and the agent run the same handoff version.',
  });
}
