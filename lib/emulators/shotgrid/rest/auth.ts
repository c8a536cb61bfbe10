/**
 * `POST /auth/access_token`: form-encoded (or query-string) grants —
 * client_credentials (script name and key), password (login and password),
 * refresh_token (also spelled `refresh`) — with optional
 * `scope=sudo_as_login:<login>` and `session_uuid`.
 */
import { SgError } from '../errors.ts';
import { json, mediaType, type Reply, type Request } from '../server/http.ts';
import type { Site } from '../site.ts';

export async function accessToken(site: Site, req: Request): Promise<Reply> {
  const type = mediaType(req);
  if (type && type !== 'application/x-www-form-urlencoded') {
    throw new SgError(415, 103, 'Unsupported Media Type', { source: { content_type: 'Content-Type must be application/x-www-form-urlencoded' } });
  }
  const params = new URLSearchParams(req.url.searchParams);
  for (const [k, v] of new URLSearchParams((await req.body()).toString('utf8'))) params.set(k, v);
  const scope = params.get('scope') ?? '';
  const sudo = scope.startsWith('sudo_as_login:') ? scope.slice('sudo_as_login:'.length) : null;
  const sessionUuid = params.get('session_uuid');
  const grant = params.get('grant_type');
  switch (grant) {
    case 'client_credentials':
      if (!params.get('client_id') || !params.get('client_secret')) throw new SgError(400, 103, 'Missing or invalid authentication arguments');
      return json(200, site.auth.issue(site.auth.script(params.get('client_id'), params.get('client_secret')), 'api_key', sudo, sessionUuid));
    case 'password':
      if (!params.get('username') || !params.get('password')) throw new SgError(400, 103, 'Missing or invalid authentication arguments');
      return json(200, site.auth.issue(site.auth.human(params.get('username'), params.get('password')), 'password', sudo, sessionUuid));
    case 'refresh_token':
    case 'refresh':
      return json(200, site.auth.refresh(params.get('refresh_token')));
    case null:
      throw new SgError(400, 103, 'Missing or invalid authentication arguments', { source: { grant_type: 'is missing' } });
    default:
      throw new SgError(400, 103, 'Unsupported grant_type', { source: { grant_type: grant } });
  }
}
