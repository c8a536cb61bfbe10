import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hookMoments, loadConfig } from '../../../../lib/core/config/index.ts';
import { lifecycle, loadHooks, type HookConfigEntry } from '../../../../lib/hooks/index.ts';

describe('config hooks feed the hook runtime', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-config-hooks-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('knows the same closed list of hook moments', () => {
    expect([...hookMoments]).toEqual([...lifecycle]);
  });

  it('loads module and command hooks from a config file, module paths relative to it', async () => {
    const hooksApi = new URL('../../../../lib/hooks/define-hook.ts', import.meta.url).href;
    await writeFile(
      path.join(dir, 'on-done.ts'),
      `import { defineHook } from ${JSON.stringify(hooksApi)};\nexport default defineHook({ on: 'job.post-done', name: 'on-done', handler: () => undefined });\n`,
    );
    await writeFile(
      path.join(dir, 'handoff.yaml'),
      ['hooks:', '  job.post-done: [on-done.ts]', '  job.post-failed:', '    - { name: page-td, command: "python3 /pipe/page.py ${PATH_JSON_INPUT}", timeout: 30s }', ''].join('\n'),
    );
    const config = await loadConfig(path.join(dir, 'handoff.yaml'), { env: {} });
    const entries: HookConfigEntry[] = config.hooks.entries;
    const hooks = await loadHooks({ folders: config.hooks.folders, entries });
    expect(hooks.map((h) => [h.kind, h.on, h.name, h.timeoutMs])).toEqual([
      ['module', 'job.post-done', 'on-done', undefined],
      ['command', 'job.post-failed', 'page-td', 30_000],
    ]);
    expect(hooks[1]).toMatchObject({ command: 'python3 /pipe/page.py ${PATH_JSON_INPUT}' });
  });
});
