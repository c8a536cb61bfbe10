/**
 * Shape checks of a PublishRequest that need no tracker, shared by every
 * implementation so a bad request fails the same way everywhere, all problems at once.
 */
import path from 'node:path';
import { invalidRequest } from './errors.ts';
import type { ComponentSpec, PublishRequest } from './types.ts';

const FRAME_TOKEN = /%0(\d+)d/;

function componentProblems(c: ComponentSpec, at: string): string[] {
  const problems: string[] = [];
  if (!c.name) problems.push(`${at}.name: required`);
  if (!c.path || !path.isAbsolute(c.path)) problems.push(`${at}.path: must be an absolute path`);
  if (c.size !== undefined && !(Number.isInteger(c.size) && c.size >= 0)) problems.push(`${at}.size: must be a whole number of bytes`);
  if (c.kind === 'sequence') {
    const token = FRAME_TOKEN.exec(c.path ?? '');
    if (!token) problems.push(`${at}.path: a sequence needs a frame token such as %04d`);
    const f = c.frames;
    if (!f || !Number.isInteger(f.start) || !Number.isInteger(f.end) || f.start > f.end) {
      problems.push(`${at}.frames: needs whole start <= end`);
    }
    if (token && f && Number(token[1]) !== f.padding) {
      problems.push(`${at}.frames.padding: ${f.padding} does not match the path's ${token[0]}`);
    }
  } else if (c.kind !== 'file') {
    problems.push(`${at}.kind: must be "file" or "sequence"`);
  }
  return problems;
}

/** Throws TRACKER_REQUEST_INVALID listing every problem of the request. */
export function assertPublishRequest(request: PublishRequest): void {
  const problems: string[] = [];
  if (!request.taskId) problems.push('taskId: required');
  if (!request.asset) problems.push('asset: required');
  if (!request.idempotencyKey) problems.push('idempotencyKey: required');
  if (request.version !== undefined && !(Number.isInteger(request.version) && request.version >= 1)) {
    problems.push('version: must be a whole number from 1');
  }
  if (request.timeSpent !== undefined && !(Number.isFinite(request.timeSpent) && request.timeSpent >= 0)) {
    problems.push('timeSpent: must be seconds, 0 or more');
  }
  if (!Array.isArray(request.components)) problems.push('components: must be a list');
  else {
    request.components.forEach((c, i) => problems.push(...componentProblems(c, `components.${i}`)));
    const names = request.components.map((c) => c.name);
    const repeated = names.filter((n, i) => names.indexOf(n) !== i);
    if (repeated.length) problems.push(`components: names must be unique (${[...new Set(repeated)].join(', ')})`);
  }
  const r = request.reviewable;
  if (r) {
    if (!path.isAbsolute(r.path)) problems.push('reviewable.path: must be an absolute path');
    if (!(r.frameRate > 0)) problems.push('reviewable.frameRate: must be positive');
    if (!(r.width > 0 && r.height > 0)) problems.push('reviewable: width and height must be positive');
    if (r.frameIn > r.frameOut) problems.push('reviewable: frameIn must not be after frameOut');
  }
  if (request.thumbnail !== undefined && !path.isAbsolute(request.thumbnail)) problems.push('thumbnail: must be an absolute path');
  if (problems.length) throw invalidRequest(problems);
}
