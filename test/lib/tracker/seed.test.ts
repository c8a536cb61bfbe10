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

  it('says when a seed does not exist', async () => {
    await expect(loadStudioSeed('no-such-seed')).rejects.toMatchObject({ code: 'SEED_NOT_FOUND' });
  });
});
