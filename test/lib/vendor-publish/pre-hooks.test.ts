/** Studio publish.pre hooks, as modules and as command lines, refine or refuse the verdicts. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHookRuntime, defineHook } from '../../../lib/hooks/index.ts';
import type { Hook } from '../../../lib/hooks/index.ts';
import { createMemoryTracker, loadStudioSeed } from '../../../lib/tracker/index.ts';
import type { MemoryTracker } from '../../../lib/tracker/index.ts';
import { prepublish } from '../../../lib/vendor-publish/index.ts';
import { tempDir } from '../../support/media-fixtures.ts';
import { cleanupFolder, compers, emma, folder, frames } from './support.ts';

let tracker: MemoryTracker;
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  tracker = createMemoryTracker({ seed: await loadStudioSeed('demo') });
  ({ dir, cleanup } = await tempDir('handoff-prehook-'));
});
afterEach(async () => {
  await tracker.close();
  await cleanup();
});

const drop = () => [cleanupFolder(), folder('scd_0010_0020_roto_v001', frames('r', 993, 1056))];

async function run(hooks: Hook[]) {
  return (await prepublish({ vendor: compers, user: emma, files: drop() }, { tracker, hooks: createHookRuntime({ hooks }) })).folders;
}

describe('publish.pre hooks', () => {
  it('let a module hook refuse one folder and warn about another', async () => {
    let seen: unknown;
    const folders = await run([defineHook({
      on: 'publish.pre',
      name: 'studio-check',
      handler: (input) => {
        seen = input;
        return { files: [
          { filename: 'scd_0010_0010_cleanup_v001', rejected: true, warning: 'The shot is on hold; hold the publish.' },
          { filename: 'scd_0010_0020_roto_v001', warning: 'Roto is reviewed on Fridays.' },
        ] };
      },
    })]);
    expect(seen).toMatchObject({ hook: 'publish.pre', user: emma, vendor: 'CompersInc', verdicts: [{ verdict: 'can_publish' }, { verdict: 'can_publish' }] });
    expect(folders.map((f) => [f.verdict, f.destination !== undefined])).toEqual([['rejected', false], ['warning', true]]);
    expect(folders[0]?.messages.at(-1)).toMatchObject({ level: 'error', title: 'Refused by the studio', message: 'The shot is on hold; hold the publish.', source: 'hook:studio-check' });
  });

  it('read a command hook’s answer from ${PATH_JSON_OUTPUT}, as existing scripts write it', async () => {
    const script = path.join(dir, 'pre_publish.mjs');
    await writeFile(script, [
      "import { readFileSync, writeFileSync } from 'node:fs';",
      'const [input, output] = process.argv.slice(2);',
      "const data = JSON.parse(readFileSync(input, 'utf8'));",
      "writeFileSync(output, JSON.stringify({ files: data.files.map((f) => ({ filename: f.filename, info: `checked by ${data.user}` })) }));",
    ].join('\n'));
    const folders = await run([{ kind: 'command', on: 'publish.pre', name: 'pre-publish-script', command: `${process.execPath} ${script} \${PATH_JSON_INPUT} \${PATH_JSON_OUTPUT}` }]);
    expect(folders.map((f) => f.verdict)).toEqual(['can_publish', 'can_publish']);
    expect(folders[1]?.messages).toContainEqual({ level: 'info', title: 'Studio note', message: `checked by ${emma}`, source: 'hook:pre-publish-script' });
  });

  it('reject every folder when a hook fails, since the check could not run', async () => {
    const folders = await run([defineHook({ on: 'publish.pre', name: 'broken', handler: () => { throw new Error('database offline'); } })]);
    expect(folders.map((f) => f.verdict)).toEqual(['rejected', 'rejected']);
    expect(folders[0]?.messages.at(-1)).toMatchObject({ title: 'Studio check could not run', message: 'database offline' });
  });
});
