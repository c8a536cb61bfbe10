import { describe, expect, it } from 'vitest';
import { loadStudioSeed } from '../../../lib/tracker/seed.ts';
import { createMemoryTracker, type MemoryTrackerOptions } from '../../../lib/tracker/memory.ts';
import { testTracker } from '../../conformance/tracker.ts';

testTracker('memory', async () => {
  const tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
  return { tracker, ui: tracker.ui };
});

testTracker('memory without optional capabilities', async () => {
  const features = { actions: false, uploads: false, jobs: false };
  return { tracker: createMemoryTracker({ seed: await loadStudioSeed('demo'), features }) };
});

describe('createMemoryTracker options', () => {
  it('names a missing seed', () => {
    expect(() => createMemoryTracker({} as MemoryTrackerOptions)).toThrow(expect.objectContaining({ code: 'TRACKER_OPTION_MISSING', details: { factory: 'createMemoryTracker', option: 'seed' } }));
  });

  it('checks a seed given as data and fills its defaults', async () => {
    const tracker = createMemoryTracker({ seed: { users: [{ username: 'a', name: 'A' }], statuses: [{ name: 'Open', state: 'not_started' }] } });
    expect((await tracker.getUser({ username: 'a' }))?.groups).toEqual([]);
    expect(() => createMemoryTracker({ seed: { users: [], statuses: [] } as unknown as MemoryTrackerOptions['seed'] })).toThrow(
      expect.objectContaining({ code: 'SEED_INVALID' }),
    );
  });

  it('names an api user the seed does not have', async () => {
    const seed = await loadStudioSeed('demo');
    expect(() => createMemoryTracker({ seed, apiUser: 'ghost@example.com' })).toThrow(/apiUser/);
  });
});
