/**
 * Hides secrets before anything is printed or logged: values under keys that
 * look like credentials, every value of an `env` mapping (hook environments),
 * and credentials inside text: passwords in URLs, `token=…` / `apiKey: …`
 * pairs (query strings, environment assignments, YAML lines), secret-named
 * command-line options (`--token abc`) and `Bearer …` headers. Empty values
 * stay visible so "not set" can still be seen.
 */
export const REDACTED = '[redacted]';

const SECRET_WORD = String.raw`api[-_]?key|token|passw(?:or)?d|secret|authori[sz]ation|cookie|credential|private[-_]?key|script[-_]?key`;
const secretKey = new RegExp(SECRET_WORD, 'i');

export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/** Keys whose every value is secret, whatever the names below them. */
const secretMapping = /^(env|environment)$/i;

const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s/@]+@/gi;
const AUTH_SCHEME = /\b(Bearer|Basic|HandoffAgent)\s+(?!\[redacted\])[A-Za-z0-9._~+/=:-]{8,}/g;
const SECRET_OPTION = new RegExp(String.raw`(^|\s)(--?[\w-]*(?:${SECRET_WORD})[\w-]*)\s+(?!-)(?!\[redacted\])[^\s]+`, 'gi');
const SECRET_PAIR = new RegExp(String.raw`([\w.-]*(?:${SECRET_WORD})[\w.-]*["']?\s*[:=]\s*["']?)(?!\[redacted\])([^\s"'&,;]+)`, 'gi');

/** Text with the credentials it carries replaced by "[redacted]". */
export function redactText(text: string): string {
  return text
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(AUTH_SCHEME, `$1 ${REDACTED}`)
    .replace(SECRET_OPTION, `$1$2 ${REDACTED}`)
    .replace(SECRET_PAIR, `$1${REDACTED}`);
}

/** A deep copy of `value` with secrets replaced by "[redacted]". */
export function redactSecrets<T>(value: T): T {
  return redact(value, false, new WeakSet()) as T;
}

function redact(value: unknown, secret: boolean, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return secret && value !== '' ? REDACTED : redactText(value);
  if (value === null || typeof value !== 'object') return secret && value !== undefined && value !== null ? REDACTED : value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, secret, seen));
  if (value instanceof Error) return redact(serializeError(value), secret, seen);
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item, secret || isSecretKey(key) || secretMapping.test(key), seen)]));
}

/** Plain data for an Error: name, message, code and details when present, stack. */
export function serializeError(err: Error): Record<string, unknown> {
  const withCode = err as Error & { code?: unknown; details?: unknown };
  return {
    name: err.name,
    message: err.message,
    ...(withCode.code !== undefined ? { code: withCode.code } : {}),
    ...(withCode.details !== undefined ? { details: withCode.details } : {}),
    ...(err.stack ? { stack: err.stack } : {}),
  };
}

/** 1-based numbers of the YAML lines holding a secret: a value under a secret-like key, or in an `env:` mapping. */
function secretYamlLines(source: string): Set<number> {
  const found = new Set<number>();
  let envIndent: number | undefined;
  source.split('\n').forEach((line, i) => {
    if (!line.trim() || line.trim().startsWith('#')) return;
    const indent = /^[\s-]*/.exec(line)![0].length;
    if (envIndent !== undefined && indent <= envIndent) envIndent = undefined;
    const pair = /^[\s-]*["']?([^:"'#]+?)["']?\s*:(?:\s+(.*))?$/.exec(line);
    const key = pair?.[1] ?? '';
    const value = (pair?.[2] ?? '').trim();
    if (envIndent !== undefined || (pair && isSecretKey(key) && value !== '')) found.add(i + 1);
    if (pair && secretMapping.test(key) && value === '') envIndent = indent;
  });
  return found;
}

/**
 * A parser's error snippet of `source` (lines with a `  12 | ` gutter) with the values of secret
 * lines masked and credentials in the others redacted.
 */
export function redactYamlSnippet(snippet: string, source: string): string {
  const secret = secretYamlLines(source);
  return snippet
    .split('\n')
    .map((line) => {
      const gutter = /^\s*(\d+) \|/.exec(line);
      if (!gutter || !secret.has(Number(gutter[1]))) return redactText(line);
      const body = line.slice(gutter[0].length);
      const colon = body.search(/:(\s|$)/);
      return `${gutter[0]}${colon >= 0 ? `${body.slice(0, colon + 1)} ${REDACTED}` : ` ${REDACTED}`}`;
    })
    .join('\n');
}
