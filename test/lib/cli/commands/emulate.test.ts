import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Session } from '@ftrack/api';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../../bin/handoff.js', import.meta.url));

/** Runs `handoff emulate ftrack ARGS` to its end (for runs that fail to start). */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const result = await promisify(execFile)(process.execPath, [bin, 'emulate', 'ftrack', '--no-persist', ...args], { timeout: 20_000 }).then(
    (ok) => ({ ...ok, code: 0 }),
    (err: { code: number; stdout: string; stderr: string }) => err,
  );
  return { code: result.code, stdout: result.stdout, stderr: result.stderr };
}

describe('handoff emulate ftrack', () => {
  it('prints one JSON line when ready, serves the seed, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'emulate', 'ftrack', '--no-persist', '--port', '0', '--seed', 'demo', '--json', '--api-key', 'cli-key'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = once(child, 'exit');
    try {
      const lines = createInterface({ input: child.stdout });
      const [line] = (await Promise.race([
        once(lines, 'line'),
        exited.then(() => {
          throw new Error('the emulator exited before it was ready');
        }),
      ])) as [string];
      const ready = JSON.parse(line) as { url: string; user: string; apiKey: string };
      expect(ready).toMatchObject({ user: 'pipeline@acmevfx.example', apiKey: 'cli-key' });
      expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const session = new Session(ready.url, ready.user, ready.apiKey, { autoConnectEventHub: false });
      const { data } = await session.query('select name from Project order by name');
      expect(data.map((p) => p.name)).toEqual(['mtn', 'scd']);
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await exited;
    expect(code).toBe(0);
  });

  it('keeps its data and API key in a data folder by default, so a restart finds both', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'handoff-emulate-'));
    const startOnce = async (): Promise<{ child: ReturnType<typeof spawn>; ready: { url: string; user: string; apiKey: string } }> => {
      const child = spawn(process.execPath, [bin, 'emulate', 'ftrack', '--port', '0', '--data-dir', dataDir, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
      return { child, ready: JSON.parse(line) as { url: string; user: string; apiKey: string } };
    };
    try {
      const first = await startOnce();
      const session = new Session(first.ready.url, first.ready.user, first.ready.apiKey, { autoConnectEventHub: false });
      const [project] = (await session.query('select id from Project where name is "scd"')).data as { id: string }[];
      await session.update('Project', [project!.id], { full_name: 'Kept across restarts' });
      first.child.kill('SIGTERM');
      await once(first.child, 'exit');
      const second = await startOnce();
      try {
        expect(second.ready.apiKey).toBe(first.ready.apiKey);
        const again = new Session(second.ready.url, second.ready.user, second.ready.apiKey, { autoConnectEventHub: false });
        const { data } = await again.query('select full_name from Project where name is "scd"');
        expect(data[0]).toMatchObject({ full_name: 'Kept across restarts' });
      } finally {
        second.child.kill('SIGTERM');
        await once(second.child, 'exit');
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('reports a busy port in the standard error envelope as PORT_IN_USE, exit code 5', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const failure = await run(['--port', String(port), '--json']);
      expect(failure.code).toBe(5);
      expect(JSON.parse(failure.stdout)).toMatchObject({ ok: false, command: 'emulate ftrack', error: { code: 'PORT_IN_USE', hint: expect.any(String) } });
    } finally {
      blocker.close();
    }
  });

  it('gives bad options and unknown seeds the exit codes docs/cli.md lists, before listening', async () => {
    const [port, faults, seed] = await Promise.all([
      run(['--port', 'eighty', '--json']),
      run(['--faults', '{"failRate":3}', '--json']),
      run(['--seed', 'no-such-seed']),
    ]);
    expect([port.code, JSON.parse(port.stdout).error.code]).toEqual([3, 'CLI_OPTION_INVALID']);
    expect([faults.code, JSON.parse(faults.stdout).error.code]).toEqual([3, 'FTRACK_EMULATOR_FAULTS_INVALID']);
    expect(seed.code).toBe(4);
    expect(seed.stderr).toContain('error SEED_NOT_FOUND:');
  });
});
