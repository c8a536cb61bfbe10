import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/core/config/index.ts';
import { serverOptionsFromConfig } from '../../../lib/server/index.ts';

describe('serverOptionsFromConfig', () => {
  it('takes admin tokens from HANDOFF_ADMIN_TOKENS when the config has none', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-from-config-'));
    try {
      const config = parseConfig('tracker: { type: memory, memory: { seed: demo } }\n', path.join(dir, 'handoff.yaml'), {});
      const env = { HANDOFF_ADMIN_TOKENS: 'first-token-0123456789, second-token-0123456789' };
      const { options, tokenFile } = await serverOptionsFromConfig(config, { dataDir: path.join(dir, 'data') }, env);
      expect(options.adminTokens).toEqual(['first-token-0123456789', 'second-token-0123456789']);
      expect(tokenFile).toBeUndefined();
      const generated = await serverOptionsFromConfig(config, { dataDir: path.join(dir, 'data') }, {});
      expect(generated.tokenFile).toBe(path.join(dir, 'data', 'admin-token'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
