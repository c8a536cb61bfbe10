/**
 * `handoff serve` as a person runs it: a child process on the shipped config,
 * the admin token from a secret file, ready on its printed address, and a
 * graceful stop on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../../../bin/handoff.js', import.meta.url));
const TOKEN = 'serve-test-token-0123456789';
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('handoff serve', () => {
  it('serves with a token from a file, keeps the token out of its output, and stops on SIGTERM', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-serve-'));
    dirs.push(dir);
    const tokenFile = path.join(dir, 'admin-tokens');
    await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const env = { ...process.env, HANDOFF_TRACKER: 'memory', HANDOFF_PROJ_ROOT: path.join(dir, 'proj'), HANDOFF_ADMIN_TOKENS: '', HANDOFF_ADMIN_TOKENS_FILE: tokenFile, HANDOFF_CONFIG: '', HANDOFF_LOG_FORMAT: 'json' };
    const child = spawn(process.execPath, [BIN, 'serve', '--json', '--port', '0', '--listen-host', '127.0.0.1', '--listen-port', '0', '--data-dir', path.join(dir, 'data')], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const started = await new Promise<{ data: { url: string; agents: string; adminTokenFile: string | null } }>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          const line = stdout.split('\n').find((l) => l.startsWith('{'));
          if (line) resolve(JSON.parse(line) as never);
        });
        void exited.then((code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
      });
      expect(started.data.agents).toMatch(/^handoff:\/\/127\.0\.0\.1:\d+$/);
      expect(started.data.adminTokenFile).toBeNull();
      expect((await fetch(`${started.data.url}/readyz`)).status).toBe(200);
      expect((await fetch(`${started.data.url}/api/jobs`)).status).toBe(401);
      const jobs = await fetch(`${started.data.url}/api/jobs`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(await jobs.json()).toEqual({ jobs: [] });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('HQ server shutting down');
    expect(`${stdout}${stderr}`).not.toContain(TOKEN);
  }, 30_000);
});
