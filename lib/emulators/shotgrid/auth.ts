/**
 * Who is calling: script name and key (an ApiUser), a HumanUser login and
 * password, or a token. REST tokens are HS256 JWTs with `exp` (clients decode
 * it to refresh early); refresh tokens live longer and mint new pairs.
 * `sudo_as_login` makes a script act as an active HumanUser.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { SgError, unauthorized } from './errors.ts';
import type { Actor, Link, Records, Row } from './store/index.ts';

export interface AuthOptions {
  scriptName: string;
  scriptKey: string;
  /** Password every active HumanUser logs in with. */
  userPassword: string;
  /** Lifetime of access tokens in seconds (refresh tokens live 24 h). */
  tokenTtlSeconds: number;
}

interface Claims {
  iss: string;
  aud: string;
  exp: number;
  iat: number;
  jti: string;
  typ: 'access' | 'refresh';
  user: Link;
  sudo_as_login: string | null;
  auth_type: 'api_key' | 'password';
  session_uuid: string | null;
}

const b64url = (data: string | Buffer): string => Buffer.from(data).toString('base64url');
const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export class Auth {
  private readonly options: AuthOptions;
  private readonly records: Records;
  private readonly secret = randomUUID();
  private readonly sessions = new Map<string, Actor>();

  constructor(records: Records, options: AuthOptions) {
    this.records = records;
    this.options = options;
  }

  get scriptName(): string {
    return this.options.scriptName;
  }

  /** The script's ApiUser (the site creates it at start). */
  scriptUser(): Row {
    const found = this.records.table.scan('ApiUser').find((u) => u.fields['firstname'] === this.options.scriptName);
    if (!found) throw new SgError(400, 102, `Can't authenticate script '${this.options.scriptName}'`);
    return found;
  }

  script(name: unknown, key: unknown): Link {
    if (name !== this.options.scriptName || typeof key !== 'string' || !same(key, this.options.scriptKey)) {
      throw new SgError(400, 102, `Can't authenticate script '${String(name)}'`);
    }
    const row = this.scriptUser();
    return { type: 'ApiUser', id: row.id };
  }

  human(login: unknown, password: unknown): Link {
    const row = this.activeHuman(login);
    if (!row || typeof password !== 'string' || !same(password, this.options.userPassword)) throw new SgError(400, 102, `Can't authenticate user '${String(login)}'.`);
    return { type: 'HumanUser', id: row.id };
  }

  private activeHuman(login: unknown): Row | undefined {
    return this.records.table.scan('HumanUser').find((u) => u.fields['login'] === login && u.fields['sg_status_list'] !== 'dis');
  }

  /** The actor for `user`, acting as `sudo` when given. */
  actor(user: Link, sudo: string | null, sessionUuid: string | null): Actor {
    if (!sudo) return { user, sessionUuid };
    const row = this.activeHuman(sudo);
    if (!row) throw new SgError(400, 102, `Cannot 'sudo' - unknown or retired user: '${sudo}'`);
    return { user: { type: 'HumanUser', id: row.id }, sessionUuid };
  }

  private sign(claims: Claims): string {
    const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64url(JSON.stringify(claims));
    return `${head}.${body}.${createHmac('sha256', this.secret).update(`${head}.${body}`).digest('base64url')}`;
  }

  private verify(token: string, typ: Claims['typ']): Claims {
    const [head, body, signature] = token.split('.');
    if (!head || !body || !signature) throw unauthorized('Token invalid');
    const expected = createHmac('sha256', this.secret).update(`${head}.${body}`).digest('base64url');
    if (!same(signature, expected)) throw unauthorized('Token invalid');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims;
    if (claims.typ !== typ) throw unauthorized('Token invalid');
    if (claims.exp * 1000 <= Date.now()) throw unauthorized('Token Expired');
    return claims;
  }

  /** An access and refresh token pair, as the token endpoint answers. */
  issue(user: Link, authType: Claims['auth_type'], sudo: string | null, sessionUuid: string | null): Record<string, unknown> {
    if (sudo) this.actor(user, sudo, sessionUuid);
    const iat = Math.floor(Date.now() / 1000);
    const base = { iss: 'handoff-shotgrid-emulator', aud: 'api', iat, user, sudo_as_login: sudo, auth_type: authType, session_uuid: sessionUuid };
    const ttl = this.options.tokenTtlSeconds;
    return {
      token_type: 'Bearer',
      access_token: this.sign({ ...base, typ: 'access', exp: iat + ttl, jti: randomUUID() }),
      expires_in: ttl,
      refresh_token: this.sign({ ...base, typ: 'refresh', exp: iat + 86_400, jti: randomUUID() }),
    };
  }

  refresh(token: unknown): Record<string, unknown> {
    if (typeof token !== 'string') throw new SgError(400, 103, 'Missing or invalid authentication arguments');
    let claims: Claims;
    try {
      claims = this.verify(token, 'refresh');
    } catch {
      throw unauthorized('Unauthorized');
    }
    return this.issue(claims.user, claims.auth_type, claims.sudo_as_login, claims.session_uuid);
  }

  /** The actor behind an `Authorization: Bearer …` header. */
  bearer(header: string | undefined): Actor {
    const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
    if (!match) throw unauthorized('Token invalid');
    const claims = this.verify(match[1]!, 'access');
    return this.actor(claims.user, claims.sudo_as_login, claims.session_uuid);
  }

  /** The actor behind a JSON-RPC auth dict (script, user or session token), with `sudo_as_login` and `session_uuid`. */
  rpc(auth: Record<string, unknown>): Actor {
    const sessionUuid = typeof auth['session_uuid'] === 'string' ? auth['session_uuid'] : null;
    const sudo = typeof auth['sudo_as_login'] === 'string' ? auth['sudo_as_login'] : null;
    let user: Link;
    if ('script_name' in auth) user = this.script(auth['script_name'], auth['script_key']);
    else if ('user_login' in auth) user = this.human(auth['user_login'], auth['user_password']);
    else if (typeof auth['session_token'] === 'string' && this.sessions.has(auth['session_token'])) user = this.sessions.get(auth['session_token'])!.user;
    else throw new SgError(400, 102, 'Missing or invalid authentication arguments');
    return this.actor(user, sudo, sessionUuid);
  }

  sessionToken(actor: Actor): string {
    const token = randomUUID().replaceAll('-', '');
    this.sessions.set(token, actor);
    return token;
  }
}
