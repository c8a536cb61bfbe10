import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../../lib/cli/exit-codes.ts';
import { main } from '../../../../lib/cli/main.ts';
import { memoryIo } from '../../../support/cli-io.ts';
import { tempDir } from '../../../support/media-fixtures.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('handoff-cli-publish-'));
});
afterEach(async () => {
  await cleanup();
});

async function run(args: string[]) {
  const mem = memoryIo();
  const code = await main(['node', 'handoff', ...args], mem.io);
  return { code, stdout: mem.stdout(), stderr: mem.stderr() };
}

async function studioWithOverride(config: string): Promise<void> {
  const projectTemplates = path.join(dir, 'projects', 'scd', 'publish-templates');
  await mkdir(projectTemplates, { recursive: true });
  await writeFile(path.join(projectTemplates, 'extract-thumbnail.mjs'), [
    'export default ({ definePublishPlugin, Order }) => definePublishPlugin({',
    "  id: 'extract-thumbnail', order: Order.Extract + 0.1, label: 'Project thumbnail', process() {},",
    '});',
  ].join('\n'));
  await writeFile(path.join(dir, 'publish.yaml'), config);
}

describe('handoff publish plan', () => {
  it('prints the resolved plan for a project as JSON', async () => {
    await studioWithOverride('plugins:\n  validate-resolution: { enabled: false }\n');
    const { code, stdout } = await run(['publish', 'plan', '--studio', dir, '--project', 'scd', '--json']);
    expect(code).toBe(ExitCode.ok);
    const plan = (JSON.parse(stdout) as { data: unknown }).data as { configFiles: string[]; plugins: { id: string; scope: string; enabled: boolean; replacedBy?: string }[] };
    expect(plan.configFiles).toEqual([path.join(dir, 'publish.yaml')]);
    const rows = plan.plugins.map((p) => [p.id, p.scope, p.enabled, p.replacedBy ? path.basename(p.replacedBy) : undefined]);
    expect(rows).toContainEqual(['validate-resolution', 'builtin', false, undefined]);
    expect(rows).toContainEqual(['extract-thumbnail', 'project', true, undefined]);
    expect(rows).toContainEqual(['extract-thumbnail', 'builtin', false, 'extract-thumbnail.mjs']);
  });

  it('exits as invalid input with the YAML path of a bad setting', async () => {
    await studioWithOverride('plugins:\n  extract-review-movie: { settings: { crf: high } }\n');
    const { code, stderr } = await run(['publish', 'plan', '--studio', dir, '--project', 'scd']);
    expect(code).toBe(ExitCode.invalid);
    expect(stderr).toContain('plugins.extract-review-movie.settings.crf: expected number, received string');
  });
});
