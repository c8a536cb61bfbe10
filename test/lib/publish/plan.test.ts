import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../lib/core/errors.ts';
import { BUILTIN_TEMPLATES, defaultConfigFiles, defaultSearchPaths, loadPublishConfig, planPublish, unmetNeeds } from '../../../lib/publish/index.ts';
import { tempDir } from '../../support/media-fixtures.ts';
import { fixturePaths } from './support.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir('handoff-publish-')));
afterEach(() => cleanup());

async function yamlFile(name: string, text: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, text);
  return file;
}

function problemsOf(err: unknown): string[] {
  return (err as { details: { problems: string[] } }).details.problems;
}

describe('search paths', () => {
  it('go built-in → studio → project, and config files studio → project', () => {
    expect(defaultSearchPaths({ studioRoot: '/studio', project: 'scd' })).toEqual([
      { scope: 'builtin', dir: BUILTIN_TEMPLATES },
      { scope: 'studio', dir: '/studio/publish-templates' },
      { scope: 'project', dir: '/studio/projects/scd/publish-templates' },
    ]);
    expect(defaultConfigFiles({ studioRoot: '/studio', projectRoot: '/p/scd' })).toEqual(['/studio/publish.yaml', '/p/scd/publish.yaml']);
    expect(() => defaultSearchPaths({ studioRoot: '/studio', project: '../etc' })).toThrow(/Refused path/);
  });
});

describe('loadPublishConfig', () => {
  it('lets the project override the studio key by key, and skips absent files', async () => {
    const studio = await yamlFile('studio.yaml', 'plugins:\n  validate-name-length: { enabled: false, settings: { minLength: 5 } }\n  extract-marker:\n');
    const project = await yamlFile('project.yaml', 'plugins:\n  validate-name-length: { enabled: true }\n');
    const config = await loadPublishConfig([studio, path.join(dir, 'absent.yaml'), project]);
    expect(config.files).toEqual([studio, project]);
    expect(config.plugins['validate-name-length']).toEqual({ enabled: true, settings: { minLength: 5 } });
  });

  it('refuses keys other than enabled and settings, and bad YAML', async () => {
    const typo = await yamlFile('typo.yaml', 'plugins:\n  extract-marker: { enable: false }\n');
    const err = await loadPublishConfig([typo]).catch((e: unknown) => e);
    expect(isHandoffError(err, 'PUBLISH_CONFIG_INVALID')).toBe(true);
    expect(problemsOf(err)).toEqual(['plugins.extract-marker: Unrecognized key: "enable"']);
    const bad = await yamlFile('bad.yaml', 'plugins: [unclosed\n');
    expect(problemsOf(await loadPublishConfig([bad]).catch((e: unknown) => e))[0]).toMatch(/not valid YAML/);
  });
});

describe('planPublish', () => {
  it('orders entries, applies settings and enables, and lists replacements', async () => {
    const config = await yamlFile('p.yaml', 'plugins:\n  validate-name-length: { settings: { minLength: 7 } }\n  validate-no-sh020: { enabled: false }\n');
    const plan = await planPublish({ searchPaths: fixturePaths('base', 'studio', 'project'), configFiles: [config] });
    expect(plan.entries.map((e) => [e.id, e.order, e.band, e.scope, e.enabled])).toEqual([
      ['collect-shots', 0, 'Collect', 'base', true],
      ['validate-name-length', 1.05, 'Validate', 'studio', true],
      ['validate-no-sh020', 1.2, 'Validate', 'base', false],
      ['extract-marker', 2.5, 'Integrate', 'project', true],
    ]);
    expect(plan.entries[1]?.settings).toEqual({ minLength: 7 });
    expect(plan.replaced.map((r) => r.id)).toEqual(['validate-name-length', 'extract-marker']);
  });

  it('reports every settings problem with its YAML path', async () => {
    const config = await yamlFile('p.yaml', [
      'plugins:',
      '  validate-name-length: { settings: { minLength: "long", colour: red } }',
      '  collect-shots: { settings: { any: 1 } }',
      '  validate-spelling: { enabled: true }',
    ].join('\n'));
    const err = await planPublish({ searchPaths: fixturePaths('base'), configFiles: [config] }).catch((e: unknown) => e);
    expect(isHandoffError(err, 'PUBLISH_CONFIG_INVALID')).toBe(true);
    expect(problemsOf(err).sort()).toEqual([
      'plugins.collect-shots.settings: this plugin takes no settings',
      'plugins.validate-name-length.settings.minLength: expected number, received string',
      'plugins.validate-name-length.settings: Unrecognized key: "colour"',
      'plugins.validate-spelling: no publish plugin has this id',
    ].sort());
  });

  it('refuses a plugin whose needed data no earlier enabled plugin writes, naming the writer', async () => {
    const config = await yamlFile('p.yaml', 'plugins:\n  integrate-files: { enabled: false }\n');
    const err = await planPublish({ searchPaths: [{ scope: 'builtin', dir: BUILTIN_TEMPLATES }], configFiles: [config] }).catch((e: unknown) => e);
    expect(isHandoffError(err, 'PUBLISH_INPUT_MISSING')).toBe(true);
    expect(problemsOf(err)).toEqual(['integrate-vendor-version needs instance.data.publishedRoot, written by integrate-files (disabled)']);
    expect((err as Error).message).toContain('integrate-vendor-version needs instance.data.publishedRoot');
  });

  it('accepts the built-in plan, where every need has an earlier writer', async () => {
    const plan = await planPublish({ searchPaths: [{ scope: 'builtin', dir: BUILTIN_TEMPLATES }], configFiles: [] });
    const needing = plan.entries.filter((e) => e.plugin.needs?.length).map((e) => e.id);
    expect(needing).toEqual(expect.arrayContaining(['validate-frames', 'integrate-files', 'integrate-vendor-version']));
    expect(unmetNeeds(plan.entries)).toEqual([]);
  });
});

