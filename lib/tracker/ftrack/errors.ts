/**
 * The one place where ftrack client failures become HandoffErrors. The
 * JavaScript client ignores HTTP status, so the class and wording of its error
 * decide: a non-JSON page (proxy or 5xx HTML) surfaces as SyntaxError, a
 * failed fetch as ServerError "NetworkError", bad credentials as ServerError
 * with `api_credentials_invalid`.
 */
import { HandoffError, isHandoffError } from '../../core/errors.ts';

const NETWORK = /fetch failed|network|ECONN|ETIMEDOUT|EPIPE|EAI_AGAIN|socket hang up|terminated|other side closed|UND_ERR/i;
const SERVER_BUSY = /\b50[0-4]\b|service unavailable|temporarily|overloaded|bad gateway|gateway timeout|try again|server (?:failure|error)|internal error/i;
const BAD_CREDENTIALS = /api key is not valid|invalid credentials|not authenticated/i;
/** Failures that no retry can fix: the URL names no host, a forbidden port, or something that is not ftrack. */
const BAD_ADDRESS = /ENOTFOUND|bad port|invalid url|unknown scheme/i;

export type FtrackOperationKind = 'query' | 'write' | 'init';

export function fromFtrackError(err: unknown, serverUrl: string, kind: FtrackOperationKind): HandoffError {
  if (isHandoffError(err)) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  const errorCode = (e as { errorCode?: unknown }).errorCode;
  const details: Record<string, unknown> = { serverUrl, clientError: e.name, ...(errorCode ? { errorCode } : {}) };
  const unavailable = (why: string): HandoffError =>
    new HandoffError('FTRACK_UNAVAILABLE', `ftrack at ${serverUrl} is unavailable: ${why}`, {
      cause: err,
      retryable: true,
      hint: 'Check the server URL and that ftrack (or the emulator) is up; the call is retried automatically when it is safe.',
      details,
    });

  const wrongUrl = (why: string): HandoffError =>
    new HandoffError('FTRACK_URL_INVALID', `${serverUrl} is not a reachable ftrack server: ${why}`, {
      cause: err,
      hint: 'Check tracker.ftrack.serverUrl (or FTRACK_SERVER): the address of the ftrack site, e.g. https://studio.ftrackapp.com.',
      details,
    });

  if (BAD_ADDRESS.test(e.message)) return wrongUrl(e.message);
  if (e instanceof SyntaxError) {
    const first = kind === 'init' ? ' If it never works, check that the URL is the ftrack site\'s.' : '';
    return unavailable(`it answered with a page that is not JSON (a proxy or server error page).${first}`);
  }
  if (errorCode === 'api_credentials_invalid' || BAD_CREDENTIALS.test(e.message)) {
    return new HandoffError('FTRACK_AUTH_FAILED', `ftrack at ${serverUrl} refused the API user and key: ${e.message}`, {
      cause: err,
      hint: 'Check the user name and API key (ftrack Settings → Security → API keys).',
      details,
    });
  }
  if (e.name === 'ServerPermissionDeniedError') {
    return new HandoffError('FTRACK_PERMISSION_DENIED', `ftrack denied the request: ${e.message}`, {
      cause: err,
      hint: 'Give the API user the role this operation needs in ftrack.',
      details,
    });
  }
  if (e.name === 'TypeError' || NETWORK.test(e.message)) return unavailable(e.message);
  if (SERVER_BUSY.test(e.message)) return unavailable(e.message);
  if (kind === 'init') return wrongUrl(e.message);
  if (kind === 'query' || e.name === 'ServerValidationError') {
    return new HandoffError('FTRACK_QUERY_FAILED', `ftrack rejected the request: ${e.message}`, {
      cause: err,
      hint: 'Check the entity names and attributes in the request; the message says which part ftrack refused.',
      details,
    });
  }
  return new HandoffError('FTRACK_REQUEST_FAILED', `ftrack could not apply the change: ${e.message}`, {
    cause: err,
    hint: 'Check the values sent (ids, names, required attributes); nothing in the failed batch was applied.',
    details,
  });
}
