import { describe, expect, it } from 'vitest';
import { addressWarnings, isLocalOnly } from '../../../lib/cli/addresses.ts';
import { parseConfig } from '../../../lib/core/config/index.ts';
import { serverOptionsFromConfig } from '../../../lib/server/index.ts';

describe('the addresses vendors are told', () => {
  it('knows which addresses only this machine reaches', () => {
    for (const url of ['http://127.0.0.1:8730', 'handoff://0.0.0.0:8731', 'http://localhost:1', 'handoff://[::]:8731', 'http://[::1]:8730']) expect(isLocalOnly(url), url).toBe(true);
    for (const url of ['http://hq.studio.example:8730', 'handoff://10.0.0.5:8731']) expect(isLocalOnly(url), url).toBe(false);
  });

  it('warns for each local-only address and names the key that fixes it', () => {
    const warnings = addressWarnings({ server: 'http://127.0.0.1:8730', agents: 'handoff://0.0.0.0:8731', serverIsPublic: false, agentsArePublic: false });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('transfer.publicAddress');
    expect(warnings[1]).toContain('server.publicUrl');
    expect(addressWarnings({ server: 'http://hq.example:8730', agents: 'handoff://hq.example:8731', serverIsPublic: true, agentsArePublic: true })).toEqual([]);
  });

  it('takes transfer.publicAddress and server.publicUrl from the config into the server options', async () => {
    const yaml = 'version: 1\nserver: { publicUrl: "http://hq.studio.example:8730", adminTokens: [a-token-of-16-chars-or-more] }\ntransfer: { dataDir: /tmp/handoff-unused, publicAddress: "hq.studio.example:9731" }\n';
    const { options } = await serverOptionsFromConfig(parseConfig(yaml, '/tmp/studio.yaml'), {}, {});
    expect(options.publicWireUrl).toBe('handoff://hq.studio.example:9731');
    expect(options.publicUrl).toBe('http://hq.studio.example:8730');
    expect(options.publicHosts).toEqual(['hq.studio.example', 'hq.studio.example']);
    expect(() => parseConfig('version: 1\ntransfer: { publicAddress: "hq.studio.example" }\n', '/tmp/bad.yaml')).toThrow(/HOST:PORT/);
  });
});
