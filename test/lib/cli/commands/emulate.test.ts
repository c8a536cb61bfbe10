import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Session } from '@ftrack/api';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../../../bin/handoff.js', import.meta.url));

describe('handoff emulate ftrack', () => {
  it('prints one JSON line when ready, serves the seed, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'emulate', 'ftrack', '--port', '0', '--seed', 'demo', '--json', '--api-key', 'cli-key'], {
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

  it('reports a busy port as one JSON error line and exit code 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const failure = await promisify(execFile)(process.execPath, [bin, 'emulate', 'ftrack', '--port', String(port), '--json']).catch(
        (err: { code: number; stdout: string }) => err,
      );
      expect('code' in failure ? failure.code : 0).toBe(1);
      expect(JSON.parse(failure.stdout)).toMatchObject({ error: { code: 'FTRACK_EMULATOR_START_FAILED' } });
    } finally {
      blocker.close();
    }
  });
});
