/**
 * Splits an ftrack query into tokens: words (keywords, attribute paths, bare
 * values such as numbers and uuids), quoted strings, operators and punctuation.
 */
import { validationError } from '../errors.ts';

export type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'op'; text: '=' | '!=' | '<' | '>' | '<=' | '>='; at: number }
  | { kind: 'punct'; text: '(' | ')' | ','; at: number }
  | { kind: 'end'; text: ''; at: number };

const WORD = /[A-Za-z0-9_.\-:+@*%/]/;

function readString(source: string, start: number): { text: string; end: number } {
  const quote = source[start];
  let text = '';
  for (let i = start + 1; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\' && i + 1 < source.length) {
      text += source[i + 1];
      i += 1;
    } else if (char === quote) {
      return { text, end: i + 1 };
    } else {
      text += char;
    }
  }
  throw validationError(`Unterminated string starting at position ${start} in query.`);
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i] as string;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '"' || char === "'") {
      const { text, end } = readString(source, i);
      tokens.push({ kind: 'string', text, at: i });
      i = end;
    } else if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: 'punct', text: char, at: i });
      i += 1;
    } else if (char === '!' || char === '<' || char === '>' || char === '=') {
      const two = source.slice(i, i + 2);
      const text = two === '!=' || two === '<=' || two === '>=' ? two : char;
      if (text === '!') throw validationError(`Unexpected "!" at position ${i} in query.`);
      tokens.push({ kind: 'op', text: text as '=' | '<' | '>' | '!=' | '<=' | '>=', at: i });
      i += text.length;
    } else if (WORD.test(char)) {
      const start = i;
      while (i < source.length && WORD.test(source[i] as string)) i += 1;
      tokens.push({ kind: 'word', text: source.slice(start, i), at: start });
    } else {
      throw validationError(`Unexpected character ${JSON.stringify(char)} at position ${i} in query.`);
    }
  }
  tokens.push({ kind: 'end', text: '', at: source.length });
  return tokens;
}
