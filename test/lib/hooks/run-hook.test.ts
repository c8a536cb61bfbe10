import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineHook, type CommandHook } from '../../../lib/hooks/define-hook.ts';
import { runHook } from '../../../lib/hooks/run-hook.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'handoff-hook-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const command = (name: string, line: string, timeoutMs?: number): CommandHook => ({ kind: 'command', on: 'job.post-done', name, command: line, timeoutMs });

/** Whether a process still runs (a zombie waiting to be reaped counts as stopped). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = readFileSyncOrEmpty(`/proc/${pid}/stat`);
  return !/^\d+ \(.*\) Z/.test(stat);
}

function readFileSyncOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

describe('module hooks', () => {
  it('returns what the handler returns, with what it logged', async () => {
    const hook = defineHook({
      on: 'job.post-done',
      name: 'count',
      handler: (input, ctx) => {
        ctx.log(`job ${input.name}`);
        return Object.keys(input.tasks).length;
      },
    });
    const input = { name: 'delivery', tasks: { '0': {}, '1': {} } };
    const result = await runHook(hook, input);
    expect(result).toMatchObject({ ok: true, output: 2, hook: 'count', on: 'job.post-done', log: 'job delivery' });
  });

  it('records a throw as a failure instead of throwing', async () => {
    const hook = defineHook({ on: 'job.post-failed', name: 'boom', handler: () => { throw new Error('tracker down'); } });
    const result = await runHook(hook, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'HOOK_FAILED', message: 'tracker down' } });
  });

  it('stops waiting at the timeout and aborts the hook signal', async () => {
    let aborted: AbortSignal | undefined;
    const hook = defineHook({
      on: 'job.post-done',
      name: 'stuck',
      timeoutMs: 50,
      handler: (_input, ctx) => {
        aborted = ctx.signal;
        return new Promise(() => undefined);
      },
    });
    const result = await runHook(hook, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'HOOK_TIMEOUT' } });
    expect(aborted?.aborted).toBe(true);
  });

  it('refuses an unknown moment when defined', () => {
    expect(() => defineHook({ on: 'job.whenever' as 'job.post-done', name: 'x', handler: () => 1 })).toThrow(
      expect.objectContaining({ code: 'HOOK_UNKNOWN_LIFECYCLE' }),
    );
  });
});

describe('command hooks', () => {
  it('passes the input as a JSON file and reads the JSON output back', async () => {
    const script = path.join(dir, 'answer.mjs');
    await writeFile(
      script,
      `import { readFileSync, writeFileSync } from 'node:fs';
       const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
       console.log('got', input.tasks['0'].source.path_abs);
       writeFileSync(process.argv[3], JSON.stringify({ seen: input.name, hook: process.env.HANDOFF_HOOK }));`,
    );
    const input = { name: 'job-a', tasks: { '0': { source: { path: 'a', path_abs: '/mnt/proj/a' } } } };
    const result = await runHook(command('answer', `node ${script} \${PATH_JSON_INPUT} \${PATH_JSON_OUTPUT}`), input);
    expect(result).toMatchObject({ ok: true, output: { seen: 'job-a', hook: 'job.post-done' } });
    expect(result.log).toContain('got /mnt/proj/a');
  });

  it('runs with a clean environment: the allow-list and its own env, never the server\'s secrets', async () => {
    const script = path.join(dir, 'env.mjs');
    await writeFile(script, `import { writeFileSync } from 'node:fs'; writeFileSync(process.env.PATH_JSON_OUTPUT, JSON.stringify(process.env));`);
    const secrets = { HANDOFF_ADMIN_TOKENS: 'admin-secret-1', FTRACK_API_KEY: 'ftrack-secret-2', AWS_SECRET_ACCESS_KEY: 'aws-secret-3', STUDIO_DB_URL: 'postgres://u:pw@db/x' };
    const saved = { ...process.env };
    Object.assign(process.env, secrets, { TZ: 'Europe/London', LC_ALL: 'C.UTF-8' });
    try {
      const hook: CommandHook = { ...command('env', `node ${script}`), env: { STUDIO_SITE: 'london' } };
      const result = await runHook(hook, {});
      expect(result.ok).toBe(true);
      const seen = result.ok ? (result.output as Record<string, string>) : {};
      for (const name of Object.keys(secrets)) expect(seen).not.toHaveProperty(name);
      expect(JSON.stringify(seen)).not.toMatch(/secret|pw@/);
      expect(seen).toMatchObject({ PATH: process.env.PATH, TZ: 'Europe/London', LC_ALL: 'C.UTF-8', STUDIO_SITE: 'london', HANDOFF_HOOK: 'job.post-done' });
      expect(seen.PATH_JSON_INPUT).toMatch(/input\.json$/);
      expect(seen.HANDOFF_JSON_INPUT).toBe(seen.PATH_JSON_INPUT);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
  });

  it('reports a non-zero exit with the captured output', async () => {
    const result = await runHook(command('fails', `node -e "console.error('no tracker'); process.exit(3)"`), {});
    expect(result).toMatchObject({ ok: false, error: { code: 'HOOK_FAILED', message: expect.stringContaining('code 3') } });
    expect(result.log).toContain('no tracker');
  });

  it('kills a command that outlives its timeout', async () => {
    const result = await runHook(command('slow', `node -e "setInterval(() => {}, 1000)"`, 300), {});
    expect(result).toMatchObject({ ok: false, error: { code: 'HOOK_TIMEOUT' } });
  });

  it('stops what a timed-out command started, not only the command', async () => {
    const pidFile = path.join(dir, 'background.pid');
    const result = await runHook(command('spawner', `sh -c "sleep 60 & echo $! > ${pidFile}; wait"`, 300), {});
    expect(result).toMatchObject({ ok: false, error: { code: 'HOOK_TIMEOUT' } });
    expect(isRunning(Number(await readFile(pidFile, 'utf8')))).toBe(false);
  });

  it('says when the output is not JSON', async () => {
    const script = path.join(dir, 'bad-output.mjs');
    await writeFile(script, `import { writeFileSync } from 'node:fs'; writeFileSync(process.argv[2], 'not json');`);
    const result = await runHook(command('bad', `node ${script} \${PATH_JSON_OUTPUT}`), {});
    expect(result).toMatchObject({ ok: false, error: { code: 'HOOK_OUTPUT_INVALID' } });
  });

  it('reports a missing program', async () => {
    const result = await runHook(command('missing', 'no-such-program-here --x'), {});
    expect(result).toMatchObject({ ok: false, hook: 'missing', error: { code: 'HOOK_FAILED', message: expect.stringContaining('no-such-program-here') } });
  });

  it('leaves no temp files behind', async () => {
    const script = path.join(dir, 'where.mjs');
    const record = path.join(dir, 'where.txt');
    await writeFile(script, `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(record)}, process.argv[2]);`);
    await runHook(command('where', `node ${script} \${PATH_JSON_INPUT}`), { a: 1 });
    const inputPath = await readFile(record, 'utf8');
    await expect(readFile(inputPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
