import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMemoryTracker } from '../../../lib/tracker/memory.ts';
import { loadStudioSeed } from '../../../lib/tracker/seed.ts';

describe('memory tracker publishing, any order of publishes', () => {
  it('keeps one version per key and distinct, gap-free numbers per asset', async () => {
    const seed = await loadStudioSeed('demo');
    const publish = fc.record({ key: fc.integer({ min: 0, max: 5 }), together: fc.boolean() });
    await fc.assert(
      fc.asyncProperty(fc.array(publish, { minLength: 1, maxLength: 12 }), async (steps) => {
        const tracker = createMemoryTracker({ seed });
        const task = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
        const run = (key: number) =>
          tracker.publishVersion({
            taskId: task!.task.id,
            asset: `asset_${key % 2}`,
            idempotencyKey: `key-${key}`,
            components: [{ kind: 'file', name: 'main', path: `/vol/k${key}.nk` }],
          });
        // Steps marked `together` run concurrently with the previous step.
        const batches: number[][] = [];
        for (const s of steps) {
          const last = batches.at(-1);
          if (s.together && last) last.push(s.key);
          else batches.push([s.key]);
        }
        const results = [];
        for (const batch of batches) results.push(...(await Promise.all(batch.map(run))));

        const keys = [...new Set(steps.map((s) => s.key))];
        const versions = await tracker.listVersions(task!.task.id);
        expect(versions).toHaveLength(keys.length);
        expect(results.filter((r) => r.created)).toHaveLength(keys.length);
        for (const asset of ['asset_0', 'asset_1']) {
          const numbers = versions.filter((v) => v.asset === asset).map((v) => v.version);
          expect(numbers).toEqual(numbers.map((_, i) => i + 1));
        }
        const idByKey = new Map<string, string>();
        results.forEach((r, i) => {
          const key = String(batches.flat()[i]);
          expect(idByKey.get(key) ?? r.id).toBe(r.id);
          idByKey.set(key, r.id);
        });
      }),
      { numRuns: 60 },
    );
  });
});
