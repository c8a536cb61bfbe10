/**
 * Access tokens for the REST API. `POST /auth/access_token` (form-encoded)
 * with the script's client credentials, a user's password, or a refresh
 * token. A token is renewed `earlyMs` before it expires (its JWT `exp`, else
 * `expires_in`), one renewal at a time however many calls wait for it; a
 * refresh that fails falls back to the credentials. `sudoAsLogin` asks for
 * tokens acting as that HumanUser (`scope=sudo_as_login:<login>`).
 */
import { HandoffError } from '../../../core/errors.ts';

export type ShotgridCredentials =
  | { kind: 'script'; scriptName: string; scriptKey: string }
  | { kind: 'password'; login: string; password: string }
  | { kind: 'refresh'; refreshToken: string };

export interface TokenResponse {
  access_token: string;
  refresh_token?: string | undefined;
  expires_in?: number | undefined;
  token_type?: string | undefined;
}

/** Sends one form to the token endpoint; the HTTP layer supplies it (with its retries and errors). */
export type TokenRequest = (form: Record<string, string>) => Promise<TokenResponse>;

export interface TokenManager {
  /** A token valid for at least `earlyMs` more. */
  token(): Promise<string>;
  /** Drops `token` (answered 401) so the next `token()` renews it; a newer token is kept. */
  invalidate(token: string): void;
  readonly sudoAsLogin: string | undefined;
}

export interface TokenManagerOptions {
  credentials: ShotgridCredentials;
  request: TokenRequest;
  sudoAsLogin?: string | undefined;
  /** Renew this long before expiry. Default 90 s (at most a fifth of the token's life). */
  earlyMs?: number | undefined;
  now?: () => number;
}

/** The `exp` claim (seconds) of a JWT, or undefined when the token is not one. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const exp = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp : undefined;
  } catch {
    return undefined;
  }
}

function grantOf(credentials: ShotgridCredentials): Record<string, string> {
  switch (credentials.kind) {
    case 'script':
      return { grant_type: 'client_credentials', client_id: credentials.scriptName, client_secret: credentials.scriptKey };
    case 'password':
      return { grant_type: 'password', username: credentials.login, password: credentials.password };
    case 'refresh':
      return { grant_type: 'refresh_token', refresh_token: credentials.refreshToken };
  }
}

export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const now = options.now ?? Date.now;
  const scope: Record<string, string> = options.sudoAsLogin ? { scope: `sudo_as_login:${options.sudoAsLogin}` } : {};
  let current: { token: string; refresh?: string | undefined; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  function keep(response: TokenResponse): string {
    if (typeof response?.access_token !== 'string' || !response.access_token) {
      throw new HandoffError('SHOTGRID_AUTH_FAILED', 'ShotGrid answered the token request without an access_token', {
        hint: 'Check that the site URL points at ShotGrid and the credentials are right.',
      });
    }
    const issued = now();
    const exp = jwtExpiry(response.access_token);
    const expiresAt = exp !== undefined ? exp * 1000 : issued + (response.expires_in ?? 600) * 1000;
    const early = Math.min(options.earlyMs ?? 90_000, Math.max(0, (expiresAt - issued) / 5));
    current = { token: response.access_token, refresh: response.refresh_token, renewAt: expiresAt - early };
    return response.access_token;
  }

  async function renew(): Promise<string> {
    const refresh = current?.refresh;
    if (refresh) {
      try {
        return keep(await options.request({ grant_type: 'refresh_token', refresh_token: refresh, ...scope }));
      } catch (err) {
        if (options.credentials.kind === 'refresh') throw err;
        // A refused refresh token is no reason to stop: sign in again with the credentials.
      }
    }
    return keep(await options.request({ ...grantOf(options.credentials), ...scope }));
  }

  return {
    sudoAsLogin: options.sudoAsLogin,
    token() {
      if (current && now() < current.renewAt) return Promise.resolve(current.token);
      pending ??= renew().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    invalidate(token) {
      if (current?.token === token) current = { ...current, renewAt: 0 };
    },
  };
}

/** A refused token request as SHOTGRID_AUTH_FAILED naming who tried; network and 5xx failures stay as they are. */
export function authError(err: unknown, form: Record<string, string>): unknown {
  const e = err as HandoffError;
  if (e?.code !== 'SHOTGRID_REQUEST_FAILED' && e?.code !== 'SHOTGRID_AUTH_FAILED' && e?.code !== 'SHOTGRID_NOT_FOUND') return err;
  const who = form['client_id'] ? `script ${form['client_id']}` : form['username'] ? `user ${form['username']}` : 'the refresh token';
  const sudo = form['scope']?.replace('sudo_as_login:', '');
  return new HandoffError('SHOTGRID_AUTH_FAILED', `ShotGrid refused to sign in ${who}${sudo ? ` acting as ${sudo}` : ''}: ${e.message}`, {
    cause: err,
    details: { ...e.details, grant: form['grant_type'], ...(sudo ? { sudoAsLogin: sudo } : {}) },
    hint: sudo
      ? `Check the script key, and that ${sudo} is an active HumanUser the script may act for.`
      : 'Check the script name and key (ShotGrid Admin → Scripts), or the login and password.',
  });
}
