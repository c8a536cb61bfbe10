/**
 * Who may call the HTTP API. People and scripts present an admin token
 * (`Authorization: Bearer <token>`); vendor agents sign each request with the
 * key they enrolled (see agent-signature.ts), so no extra secret exists for
 * them. Tokens are compared as SHA-256 digests in constant time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { HandoffError } from '../core/errors.ts';
import { verifyAgentRequest, AGENT_SCHEME, type PinCheck } from './agent-signature.ts';

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
}

export function unauthorized(message: string): HandoffError {
  return new HandoffError('SERVER_UNAUTHORIZED', message, {
    hint: 'Send `Authorization: Bearer <admin token>` (the dashboard asks for it once), or sign the request with an enrolled agent key.',
  });
}

/** Express middleware that sets `req.caller` or answers 401. */
export function authenticate(options: AuthOptions) {
  const admins = options.adminTokens.map(digest);
  const isAdmin = (token: string): boolean => {
    const given = digest(token);
    let match = false;
    for (const expected of admins) match = timingSafeEqual(given, expected) || match;
    return match;
  };
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const header = req.get('authorization') ?? '';
    try {
      if (header.startsWith('Bearer ')) {
        if (!isAdmin(header.slice(7).trim())) throw unauthorized('The admin token is not valid');
        req.caller = { kind: 'admin' };
      } else if (header.startsWith(`${AGENT_SCHEME} `)) {
        const vendor = await verifyAgentRequest(
          { method: req.method, path: req.originalUrl, authorization: header, certificate: req.get('x-handoff-agent-cert'), body: req.rawBody },
          options.caCert,
          options.isPinned,
        );
        req.caller = { kind: 'agent', vendor };
      } else {
        throw unauthorized('This endpoint needs an admin token or an agent signature');
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

/** Lets only admins through. */
export function adminOnly(req: Request, _res: Response, next: NextFunction): void {
  next(req.caller?.kind === 'admin' ? undefined : new HandoffError('SERVER_FORBIDDEN', 'Only an admin token may do this', { hint: 'Use an admin token; agents may only call the vendor endpoints.' }));
}
