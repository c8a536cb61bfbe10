/**
 * Who may call the HTTP API, decided before any work: the admin token
 * (`Authorization: Bearer <token>`) or the agent's signed headers are checked
 * first, and only then is the body read (up to the route's limit), the agent
 * signature checked over its raw bytes, and the JSON parsed. Vendor agents sign
 * each request with the key they enrolled (see agent-signature.ts), so no extra
 * secret exists for them. Tokens are compared as SHA-256 digests in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HandoffError } from '../core/errors.ts';
import { checkAgentHeaders, verifyAgentBody, AGENT_SCHEME, type AgentClaim, type NonceMemory, type PinCheck } from './agent-signature.ts';
import { bodyLimitFor, parseJsonBody, readBody } from './body.ts';

export type Caller = { kind: 'admin' } | { kind: 'agent'; vendor: string };

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
    rawBody?: Buffer;
  }
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

export interface AuthOptions {
  adminTokens: readonly string[];
  caCert: string;
  isPinned: PinCheck;
  /** Nonces of agent requests already accepted; without it, replays are not detected. */
  nonces?: NonceMemory | undefined;
  /** Told once a request's headers prove its caller (the connection is no longer anonymous). */
  onAuthenticated?: ((req: Request) => void) | undefined;
}

export function unauthorized(message: string): HandoffError {
  return new HandoffError('SERVER_UNAUTHORIZED', message, {
    hint: 'Send `Authorization: Bearer <admin token>` (the dashboard asks for it once), or sign the request with an enrolled agent key.',
  });
}

/** Express middleware that sets `req.caller`, `req.rawBody` and `req.body`, or refuses the request. */
export function authenticate(options: AuthOptions) {
  const admins = options.adminTokens.map(digest);
  const isAdmin = (token: string): boolean => {
    const given = digest(token);
    let match = false;
    for (const expected of admins) match = timingSafeEqual(given, expected) || match;
    return match;
  };
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization') ?? '';
    let read = false;
    try {
      let claim: AgentClaim | undefined;
      if (header.startsWith('Bearer ')) {
        if (!isAdmin(header.slice(7).trim())) throw unauthorized('The admin token is not valid');
        req.caller = { kind: 'admin' };
      } else if (header.startsWith(`${AGENT_SCHEME} `)) {
        claim = await checkAgentHeaders({ authorization: header, certificate: req.get('x-handoff-agent-cert') }, options.caCert, options.isPinned, options.nonces);
      } else {
        throw unauthorized('This endpoint needs an admin token or an agent signature');
      }
      options.onAuthenticated?.(req);
      const raw = await readBody(req, bodyLimitFor(req.path));
      read = true;
      if (claim) {
        const request = { method: req.method, path: req.originalUrl, idempotencyKey: req.get('idempotency-key'), body: raw };
        req.caller = { kind: 'agent', vendor: verifyAgentBody(claim, request, options.nonces) };
      }
      req.rawBody = raw;
      req.body = parseJsonBody(raw, req.get('content-type'));
      next();
    } catch (err) {
      // A body left unread is not drained: the connection closes after the answer.
      if (!read) res.set('connection', 'close');
      next(err);
    }
  };
}

/** Lets only admins through. */
export function adminOnly(req: Request, _res: Response, next: NextFunction): void {
  next(req.caller?.kind === 'admin' ? undefined : new HandoffError('SERVER_FORBIDDEN', 'Only an admin token may do this', { hint: 'Use an admin token; agents may only call the vendor endpoints.' }));
}
