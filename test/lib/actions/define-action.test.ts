import { describe, expect, it } from 'vitest';
import { defineAction, failure, message, type ActionDefinition } from '../../../lib/actions/index.ts';

describe('defineAction', () => {
  it('returns a valid definition as it is', () => {
    const definition: ActionDefinition = { id: 'task-info', label: 'Task info', discover: () => true, launch: () => message('ok') };
    expect(defineAction(definition)).toBe(definition);
  });

  it('lists every problem of an invalid definition at once', () => {
    const bad = { id: 'Task Info', label: ' ', variants: [{ id: 'A B', label: 'x' }], discover: 'yes' } as unknown as ActionDefinition;
    try {
      defineAction(bad);
      expect.unreachable();
    } catch (err) {
      expect(err).toMatchObject({ code: 'ACTION_INVALID' });
      const problems = (err as { details: { problems: string[] } }).details.problems;
      expect(problems.map((p) => p.split(':')[0])).toEqual(['id', 'label', 'discover', 'launch', 'variants.0.id']);
    }
  });

  it('builds message results', () => {
    expect(message('done')).toEqual({ type: 'message', success: true, message: 'done' });
    expect(failure('no')).toEqual({ type: 'message', success: false, message: 'no' });
  });
});
