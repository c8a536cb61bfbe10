import { utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../lib/core/errors.ts';
import { discoverPlugins, pluginFiles, pluginShapeIssues } from '../../../lib/publish/index.ts';
import { tempDir } from '../../support/media-fixtures.ts';
import { FIXTURES, fixturePaths } from './support.ts';

describe('pluginFiles', () => {
  it('lists kebab-case .ts/.mjs files and skips _ files and missing folders', async () => {
    const { files, badNames } = await pluginFiles(path.join(FIXTURES, 'base'));
    expect(files.map((f) => path.basename(f))).toEqual(['collect-shots.ts', 'extract-marker.ts', 'validate-name-length.ts', 'validate-no-sh020.ts']);
    expect(badNames).toEqual([]);
    expect(await pluginFiles(path.join(FIXTURES, 'no-such-folder'))).toEqual({ files: [], badNames: [] });
  });
});

describe('discoverPlugins', () => {
  it('lets a later path replace a plugin with the same id and says so', async () => {
    const { plugins, replaced } = await discoverPlugins(fixturePaths('base', 'studio', 'project'));
    const byId = Object.fromEntries(plugins.map((p) => [p.plugin.id, p]));
    expect(Object.keys(byId).sort()).toEqual(['collect-shots', 'extract-marker', 'validate-name-length', 'validate-no-sh020']);
    expect(byId['validate-name-length']).toMatchObject({ scope: 'studio', plugin: { label: 'Studio: names are long enough' } });
    expect(byId['extract-marker']).toMatchObject({ scope: 'project', source: path.join(FIXTURES, 'project', 'extract-marker.mjs') });
    expect(replaced.map((r) => [r.plugin.id, r.scope, path.relative(FIXTURES, r.replacedBy)])).toEqual([
      ['validate-name-length', 'base', 'studio/validate-name-length.ts'],
      ['extract-marker', 'base', 'project/extract-marker.mjs'],
    ]);
  });

  it('reports every broken file at once', async () => {
    const err = await discoverPlugins(fixturePaths('broken')).catch((e: unknown) => e);
    expect(isHandoffError(err, 'PUBLISH_PLUGIN_INVALID')).toBe(true);
    const problems = (err as { details: { problems: { source: string; message: string }[] } }).details.problems;
    const bySource = (name: string) => problems.filter((p) => path.basename(p.source) === name).map((p) => p.message);
    expect(bySource('ValidateCase.mjs')).toEqual([expect.stringContaining('kebab-case')]);
    expect(bySource('validate-syntax.mjs')).toEqual([expect.stringContaining('cannot load')]);
    expect(bySource('validate-shape.mjs')).toHaveLength(4);
  });
});

describe('pluginShapeIssues', () => {
  it('lists every wrong field', () => {
    expect(pluginShapeIssues({ id: 'validate-x', order: 1, label: 'X', process: () => undefined })).toEqual([]);
    expect(pluginShapeIssues({ id: 'x', order: Number.NaN, label: '', process: 1, appliesTo: 'render', settings: {} })).toHaveLength(6);
    expect(pluginShapeIssues(undefined)).toHaveLength(1);
  });
});

describe('plugin files outside the repository', () => {
  it('load as TypeScript factories and reload when edited', async () => {
    const { dir, cleanup } = await tempDir('handoff-studio-');
    try {
      const file = path.join(dir, 'validate-studio-rule.ts');
      const write = (label: string) => writeFile(file, [
        "import type { PublishApi } from 'handoff-types-are-erased';",
        'export default ({ definePublishPlugin, Order }: PublishApi) => definePublishPlugin({',
        `  id: 'validate-studio-rule', order: Order.Validate, label: '${label}', process() {},`,
        '});',
      ].join('\n'));
      await write('First rule');
      const first = await discoverPlugins([{ scope: 'studio', dir }]);
      expect(first.plugins.map((p) => p.plugin.label)).toEqual(['First rule']);
      await write('Edited rule');
      const later = new Date(Date.now() + 5_000);
      await utimes(file, later, later);
      const second = await discoverPlugins([{ scope: 'studio', dir }]);
      expect(second.plugins.map((p) => p.plugin.label)).toEqual(['Edited rule']);
    } finally {
      await cleanup();
    }
  });
});
