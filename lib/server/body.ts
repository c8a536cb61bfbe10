/**
 * Request bodies, read only once the caller is known: up to a limit sized to
 * the route's purpose (checked against Content-Length before a byte is read,
 * then while reading), and parsed as JSON only when its nesting stays shallow.
 */
import type { IncomingMessage } from 'node:http';
import { HandoffError } from '../core/errors.ts';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Bodies of routes under /api that carry more than a few fields; every other route takes 64 KiB. */
const ROUTE_LIMITS: ReadonlyArray<readonly [RegExp, number]> = [
  // A vendor's folder trees: thousands of frames per folder.
  [/^\/vendor\/(pre)?publish\/?$/, 8 * MiB],
  // Transfer jobs and their task lists.
  [/^\/transfer\//, 20 * MiB],
];
export const DEFAULT_BODY_LIMIT = 64 * KiB;
/** Deepest nesting of arrays and objects a JSON body may have (a folder tree nests two per level). */
export const MAX_JSON_DEPTH = 64;

export function bodyLimitFor(path: string): number {
  return ROUTE_LIMITS.find(([pattern]) => pattern.test(path))?.[1] ?? DEFAULT_BODY_LIMIT;
}

export function tooLarge(limit: number, size?: number): HandoffError {
  return new HandoffError('SERVER_BODY_TOO_LARGE', `The request body${size === undefined ? '' : ` of ${size} bytes`} is over this endpoint's limit of ${limit} bytes`, {
    details: { limit, ...(size === undefined ? {} : { size }) },
    hint: 'Nothing was done. Send less per request (split a large publish into several folders).',
  });
}

/** Reads the whole body, refusing it past `limit` bytes; the caller must be authenticated. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(tooLarge(limit, declared));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('aborted', onAborted);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      parts.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(parts, size));
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(invalid(`the request body could not be read (${err.message})`));
    };
    const onAborted = (): void => onError(new Error('the client went away'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('aborted', onAborted);
  });
}

function invalid(reason: string): HandoffError {
  return new HandoffError('SERVER_REQUEST_INVALID', `The request body is not valid: ${reason}`, {
    details: { reason },
    hint: 'Send a JSON object as docs/server.md describes, with Content-Type: application/json.',
  });
}

/** The deepest nesting of arrays and objects in JSON text, stopping once it passes `max`. */
export function jsonDepth(text: Buffer, max: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const byte = text[i];
    if (inString) {
      if (byte === 0x5c) i++; // backslash: skip the escaped character
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x5b || byte === 0x7b) {
      if (++depth > deepest && (deepest = depth) > max) return deepest;
    } else if (byte === 0x5d || byte === 0x7d) depth--;
  }
  return deepest;
}

/** The JSON value of a body; undefined when there is none or it is not JSON by its type. */
export function parseJsonBody(raw: Buffer, contentType: string | undefined): unknown {
  if (raw.length === 0) return undefined;
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType ?? '')) return undefined;
  if (jsonDepth(raw, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new HandoffError('SERVER_BODY_TOO_DEEP', `The request body nests deeper than ${MAX_JSON_DEPTH} levels`, {
      details: { maxDepth: MAX_JSON_DEPTH },
      hint: 'Nothing was done. Send the flat JSON docs/server.md describes.',
    });
  }
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch (err) {
    throw invalid(`bad JSON (${(err as Error).message})`);
  }
}
