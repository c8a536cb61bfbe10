/**
 * A TD's exercise: a vendor-folder validator and an action written in a studio folder outside
 * this repository, importing only `handoff/sdk`, loaded by the loaders the server uses.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionRuntime, loadActions } from '../../../lib/actions/index.ts';
import { planPublish } from '../../../lib/publish/index.ts';
import { createMemoryTracker, loadStudioSeed, type MemoryTracker } from '../../../lib/tracker/index.ts';
import { prepublish } from '../../../lib/vendor-publish/index.ts';
import { cleanupFolder, compers, emma, folder, frames } from '../vendor-publish/support.ts';

const VALIDATOR = `/** A vendor folder holds one image sequence: two means two renders were mixed. */
import { definePublishPlugin, findSequences, FOLDER_FAMILY, Order, PublishValidationError } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'validate-one-sequence',
  order: Order.Validate + 0.3,
  label: 'One image sequence per folder',
  appliesTo: [FOLDER_FAMILY],
  needs: ['folder'],
  process({ instance }) {
    const { sequences } = findSequences(instance.data.folder.files.map((f) => f.path));
    if (sequences.length <= 1) return;
    throw new PublishValidationError(\`\${instance.name} holds \${sequences.length} sequences: \${sequences.join(', ')}\`, {
      title: 'Several sequences',
      hint: 'Publish one sequence per folder; put the other render in its own folder.',
      path: instance.name,
    });
  },
});
`;

const ACTION = `/** Frame count: how many frames (with handles) the selected tasks' shots hold. */
import { defineAction, failure, message, type TaskContext } from 'handoff/sdk';

function count(c: TaskContext): string {
  const r = c.shot?.frameRange;
  return r ? \`\${c.path.join('/')}: \${r.end + r.handles.tail - (r.start - r.handles.head) + 1} frames\` : \`\${c.path.join('/')}: no frame range\`;
}

export default defineAction({
  id: 'frame-count',
  label: 'Frame count',
  discover: ({ selection }) => selection.length > 0 && selection.every((s) => s.entityType === 'task'),
  async launch({ selection, tracker }) {
    const results = await tracker.resolveTasks(selection.map((s) => s.entityId));
    const text = results.map((r) => (r.ok ? count(r.context) : \`\${r.id}: \${r.message}\`)).join('\\n');
    return results.every((r) => r.ok) ? message(text) : failure(text);
  },
});
`;

let studio = '';
let tracker: MemoryTracker;
beforeAll(async () => {
  studio = await mkdtemp(path.join(tmpdir(), 'handoff-studio-'));
  await mkdir(path.join(studio, 'publish-templates'));
  await writeFile(path.join(studio, 'publish-templates', 'validate-one-sequence.ts'), VALIDATOR);
  await mkdir(path.join(studio, 'actions', 'frame-count'), { recursive: true });
  await writeFile(path.join(studio, 'actions', 'frame-count', 'action.ts'), ACTION);
  tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
});
afterAll(async () => {
  tracker.close();
  await rm(studio, { recursive: true, force: true });
});

describe('a studio folder outside the repository', () => {
  it('holds each file in under 30 lines, importing only handoff/sdk', async () => {
    for (const file of ['publish-templates/validate-one-sequence.ts', 'actions/frame-count/action.ts']) {
      const text = await readFile(path.join(studio, file), 'utf8');
      expect(text.trimEnd().split('\n').length).toBeLessThan(30);
      expect([...text.matchAll(/from '([^']+)'/g)].map((m) => m[1])).toEqual(['handoff/sdk']);
    }
    expect(path.relative(process.cwd(), studio).startsWith('..')).toBe(true);
  });

  it('adds a vendor-folder validator that pre-publish runs beside the built-in ones', async () => {
    const plan = await planPublish({ studioRoot: studio });
    expect(plan.entries.find((e) => e.id === 'validate-one-sequence')).toMatchObject({ scope: 'studio', band: 'Validate' });
    const mixed = folder('scd_0010_0010_cleanup_v001', [
      ...frames('scd_0010_0010_cleanup_v001', 993, 1108),
      ...frames('scd_0010_0010_cleanup_matte_v001', 993, 1108),
    ]);
    const [rejected] = (await prepublish({ vendor: compers, user: emma, files: [mixed] }, { tracker, plan })).folders;
    expect(rejected?.verdict).toBe('rejected');
    expect(rejected?.messages).toContainEqual(expect.objectContaining({ level: 'error', title: 'Several sequences', source: 'validate-one-sequence' }));
    const [clean] = (await prepublish({ vendor: compers, user: emma, files: [cleanupFolder()] }, { tracker, plan })).folders;
    expect(clean?.verdict).toBe('can_publish');
  });

  it('adds an action the runtime offers and launches on the tracker', async () => {
    const actions = await loadActions(path.join(studio, 'actions'));
    expect(actions.map((a) => a.id)).toEqual(['frame-count']);
    const runtime = createActionRuntime({ tracker, actions, services: {} });
    const served = await tracker.actions!.serve(runtime);
    try {
      const task = await tracker.findTask({ project: 'scd', sequence: '0010', shot: '0010', task: 'cleanup' });
      const selection = [{ entityType: 'task', entityId: task!.task.id }];
      const [item] = await tracker.ui.discover(selection, 'cora@acmevfx.example');
      expect(item).toMatchObject({ actionIdentifier: 'frame-count', label: 'Frame count' });
      expect(await tracker.ui.launch(item!, selection, 'cora@acmevfx.example')).toEqual({
        type: 'message', success: true, message: 'scd/0010/0010/cleanup: 116 frames',
      });
    } finally {
      await served.close();
      await runtime.close();
    }
  });
});
