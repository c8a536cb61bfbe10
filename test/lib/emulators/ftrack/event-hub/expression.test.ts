import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matches, parseExpression } from '../../../../../lib/emulators/ftrack/event-hub/index.ts';

const event = { topic: 'ftrack.action.launch', data: { actionIdentifier: 'outsource', count: 12 }, source: { user: { username: 'emma' } } };
const check = (text: string, subject: unknown = event) => matches(parseExpression(text), subject);

describe('event expressions', () => {
  it('matches topics exactly and by prefix wildcard', () => {
    expect(check('topic=ftrack.action.launch')).toBe(true);
    expect(check('topic=ftrack.action.discover')).toBe(false);
    expect(check('topic=ftrack.*')).toBe(true);
    expect(check('topic=ftrack.update*')).toBe(false);
  });

  it('combines conditions with and, or, not and parentheses, and and binding tighter', () => {
    expect(check('topic=ftrack.action.launch and data.actionIdentifier=outsource')).toBe(true);
    expect(check('topic=x or topic=ftrack.action.launch and data.actionIdentifier=nope')).toBe(false);
    expect(check('(topic=x or topic=ftrack.action.launch) and not data.actionIdentifier=nope')).toBe(true);
  });

  it('reads quoted values with spaces and escapes, and compares numbers', () => {
    expect(check('source.user.username="emma"')).toBe(true);
    expect(check("data.actionIdentifier != 'out source'")).toBe(true);
    expect(check('data.count>9 and data.count<=12')).toBe(true);
    expect(check('data.count>=13')).toBe(false);
  });

  it('treats missing keys as not equal', () => {
    expect(check('data.missing=1')).toBe(false);
    expect(check('data.missing!=1')).toBe(true);
  });

  it('reports what is wrong with a bad expression', () => {
    expect(() => parseExpression('topic=')).toThrow(/expected a value/);
    expect(() => parseExpression('(topic=a')).toThrow(/parenthesis/);
    expect(() => parseExpression('topic a')).toThrow(/operator/);
    expect(parseExpression('  ')).toEqual({ kind: 'all' });
  });

  it('matches any quoted value (without a trailing wildcard) exactly, whatever characters it holds', () => {
    fc.assert(
      fc.property(fc.string().filter((v) => !v.endsWith('*')), fc.string(), (value, other) => {
        const quoted = `"${value.replace(/["\\]/g, '\\$&')}"`;
        const expression = parseExpression(`data.k=${quoted} and topic=t`);
        expect(matches(expression, { topic: 't', data: { k: value } })).toBe(true);
        expect(matches(expression, { topic: 't', data: { k: other } })).toBe(other === value);
      }),
    );
  });
});
