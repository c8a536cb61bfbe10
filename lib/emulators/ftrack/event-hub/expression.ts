/**
 * Subscription and target expressions as the ftrack event server reads them:
 * `topic=ftrack.action.launch and data.actionIdentifier=outsource`,
 * `applicationId=ftrack.client.web and user.id="…"`. Conditions compare a dotted
 * path with a bare or quoted value (`= != < > <= >=`), joined by `and`/`or`,
 * negated with `not`, grouped with parentheses. A value ending in `*` with `=`
 * matches by prefix (`topic=ftrack.*`).
 */
import { HandoffError } from '../../../core/errors.ts';

export type Expression =
  | { kind: 'condition'; path: string[]; op: Operator; value: string }
  | { kind: 'and' | 'or'; left: Expression; right: Expression }
  | { kind: 'not'; operand: Expression }
  | { kind: 'all' };

type Operator = '=' | '!=' | '<' | '>' | '<=' | '>=';

type Token = { type: 'word' | 'quoted' | 'op' | 'open' | 'close'; text: string };

const TOKEN = /\s*(?:(\()|(\))|(!=|<=|>=|=|<|>)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([^\s()=!<>"']+))/y;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw expressionError(source, `unexpected character at ${at}`);
    if (m[1]) tokens.push({ type: 'open', text: '(' });
    else if (m[2]) tokens.push({ type: 'close', text: ')' });
    else if (m[3]) tokens.push({ type: 'op', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ type: 'quoted', text: unescape(m[4]) });
    else if (m[5] !== undefined) tokens.push({ type: 'quoted', text: unescape(m[5]) });
    else tokens.push({ type: 'word', text: m[6] ?? '' });
  }
  return tokens;
}

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

function expressionError(source: string, reason: string): HandoffError {
  return new HandoffError('FTRACK_EVENT_EXPRESSION_INVALID', `Event expression "${source}" is invalid: ${reason}.`, {
    hint: 'Write conditions as key=value joined by and/or, e.g. topic=ftrack.action.launch and data.actionIdentifier=my-action.',
    details: { expression: source },
  });
}

/** Parses an expression; an empty one matches everything. */
export function parseExpression(source: string): Expression {
  const tokens = tokenize(source);
  if (tokens.length === 0) return { kind: 'all' };
  let pos = 0;
  const peekWord = (word: string): boolean => tokens[pos]?.type === 'word' && tokens[pos]?.text.toLowerCase() === word;

  const parseOr = (): Expression => {
    let left = parseAnd();
    while (peekWord('or')) {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): Expression => {
    let left = parseUnary();
    while (peekWord('and')) {
      pos++;
      left = { kind: 'and', left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): Expression => {
    if (peekWord('not')) {
      pos++;
      return { kind: 'not', operand: parseUnary() };
    }
    const token = tokens[pos];
    if (token?.type === 'open') {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.type !== 'close') throw expressionError(source, 'missing closing parenthesis');
      pos++;
      return inner;
    }
    if (token?.type !== 'word') throw expressionError(source, `expected a key, found ${token ? `"${token.text}"` : 'the end'}`);
    pos++;
    const op = tokens[pos];
    if (op?.type !== 'op') throw expressionError(source, `expected an operator after "${token.text}"`);
    pos++;
    const value = tokens[pos];
    if (value?.type !== 'word' && value?.type !== 'quoted') throw expressionError(source, `expected a value after "${token.text}${op.text}"`);
    pos++;
    return { kind: 'condition', path: token.text.split('.'), op: op.text as Operator, value: value.text };
  };

  const expression = parseOr();
  if (pos < tokens.length) throw expressionError(source, `unexpected "${tokens[pos]?.text}"`);
  return expression;
}

function lookup(subject: unknown, path: string[]): unknown {
  let current = subject;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function compare(actual: unknown, op: Operator, expected: string): boolean {
  if (actual === undefined) return op === '!=';
  const text = actual === null ? 'None' : typeof actual === 'object' ? JSON.stringify(actual) : String(actual);
  if (op === '=') return expected.endsWith('*') ? text.startsWith(expected.slice(0, -1)) : text === expected;
  if (op === '!=') return text !== expected;
  const [a, b] = [Number(text), Number(expected)];
  const numeric = text !== '' && expected !== '' && !Number.isNaN(a) && !Number.isNaN(b);
  const order = numeric ? Math.sign(a - b) : text < expected ? -1 : text > expected ? 1 : 0;
  if (op === '<') return order < 0;
  if (op === '>') return order > 0;
  if (op === '<=') return order <= 0;
  return order >= 0;
}

/** Whether `subject` (an event, or a subscriber's metadata for targets) satisfies the expression. */
export function matches(expression: Expression, subject: unknown): boolean {
  switch (expression.kind) {
    case 'all':
      return true;
    case 'not':
      return !matches(expression.operand, subject);
    case 'and':
      return matches(expression.left, subject) && matches(expression.right, subject);
    case 'or':
      return matches(expression.left, subject) || matches(expression.right, subject);
    case 'condition':
      return compare(lookup(subject, expression.path), expression.op, expression.value);
  }
}
