import { describe, expect, it } from 'vitest';
import { HandoffError } from '../../../lib/core/errors.ts';
import { loadStudioSeed, parseStudioSeed } from '../../../lib/tracker/seed.ts';

describe('studio seed', () => {
  it('loads the shipped demo studio', async () => {
    const seed = await loadStudioSeed('demo');
    const scd = seed.projects.find((p) => p.name === 'scd');
    expect(scd?.sequences[0]?.shots[0]?.frames).toEqual({ start: 1001, end: 1100, handles: 8 });
    expect(seed.users.map((u) => u.username)).toContain('emma@compersinc.example');
    expect(seed.users.find((u) => u.username === 'emma@compersinc.example')?.groups).toEqual(['Compers Inc']);
  });

  it('names every bad key at once', () => {
    const bad = 'users: []\nstatuses: [{ name: Done, state: finished }]\n';
    try {
      parseStudioSeed(bad, 'bad.yaml');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(HandoffError);
      const problems = (err as HandoffError).details['problems'] as string[];
      expect(problems.some((p) => p.startsWith('users'))).toBe(true);
      expect(problems.some((p) => p.startsWith('statuses.0.state'))).toBe(true);
    }
  });

  it('names every unknown reference and repeated name at once', () => {
    const bad = [
      'users: [{ username: a, name: A }, { username: a, name: A2 }]',
      'statuses: [{ name: Open, state: not_started }]',
      'taskTypes: [Roto]',
      'projects:',
      '  - name: p',
      '    fullName: P',
      '    fps: 24',
      '    sequences:',
      '      - name: s',
      '        shots:',
      '          - name: sh',
      '            frames: { start: 10, end: 1 }',
      '            tasks:',
      '              - { name: t, type: Paint, status: Closed, assignees: [ghost], notes: [{ author: nobody, content: hi }] }',
    ].join('\n');
    try {
      parseStudioSeed(bad, 'bad.yaml');
      expect.unreachable();
    } catch (err) {
      const problems = (err as HandoffError).details['problems'] as string[];
      const task = 'projects.0.sequences.0.shots.0';
      expect(problems).toEqual([
        'users.1.username: user "a" appears twice',
        `${task}.frames: start is after end`,
        `${task}.tasks.0.status: unknown status "Closed"`,
        `${task}.tasks.0.type: unknown task type "Paint"`,
        `${task}.tasks.0.assignees.0: unknown user "ghost"`,
        `${task}.tasks.0.notes.0.author: unknown user "nobody"`,
      ]);
    }
  });

  it('says when a seed does not exist', async () => {
    await expect(loadStudioSeed('no-such-seed')).rejects.toMatchObject({ code: 'SEED_NOT_FOUND' });
  });
});
