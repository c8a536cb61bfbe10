import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../../bin/handoff.js', import.meta.url));

describe('handoff emulate shotgrid', () => {
  it('prints one JSON line when ready, serves the demo seed over REST and JSON-RPC, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'emulate', 'shotgrid', '--port', '0', '--seed', 'demo', '--json', '--script-key', 'cli-key'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(child, 'exit');
    try {
      const lines = createInterface({ input: child.stdout });
      const [line] = (await Promise.race([
        once(lines, 'line'),
        exited.then(() => {
          throw new Error('the emulator exited before it was ready');
        }),
      ])) as [string];
      const ready = JSON.parse(line) as { url: string; scriptName: string; scriptKey: string; restUrl: string; rpcUrl: string };
      expect(ready).toMatchObject({ scriptName: 'handoff', scriptKey: 'cli-key', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) });
      const token = await fetch(`${ready.restUrl}/auth/access_token`, { method: 'POST', body: new URLSearchParams({ grant_type: 'client_credentials', client_id: ready.scriptName, client_secret: ready.scriptKey }) }).then((r) => r.json());
      const projects = await fetch(`${ready.restUrl}/entity/projects?fields=code&sort=code`, { headers: { authorization: `Bearer ${token.access_token}` } }).then((r) => r.json());
      expect(projects.data.map((p: { attributes: { code: string } }) => p.attributes.code)).toEqual(['mtn', 'scd']);
      const rpc = await fetch(ready.rpcUrl, { method: 'POST', body: JSON.stringify({ method_name: 'info', params: [] }) }).then((r) => r.json());
      expect(rpc.results.version).toEqual([8, 50, 0]);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('gives bad options the exit codes docs/cli.md lists', async () => {
    const run = (args: string[]) =>
      promisify(execFile)(process.execPath, [bin, 'emulate', 'shotgrid', ...args], { timeout: 30_000 }).then(
        (ok) => ({ ...ok, code: 0 }),
        (err: { code: number; stdout: string }) => err,
      );
    const [port, faults] = await Promise.all([run(['--port', 'eighty', '--json']), run(['--faults', '{"failRate":3}', '--json'])]);
    expect([port.code, JSON.parse(port.stdout).error.code]).toEqual([3, 'CLI_OPTION_INVALID']);
    expect([faults.code, JSON.parse(faults.stdout).error.code]).toEqual([3, 'SHOTGRID_EMULATOR_FAULTS_INVALID']);
  });
});
