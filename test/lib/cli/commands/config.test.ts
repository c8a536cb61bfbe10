import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../lib/cli/main.ts';
import { memoryIo } from '../../../support/cli-io.ts';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));
const bin = path.join(repo, 'bin/handoff.js');
const cleanEnv = { PATH: process.env.PATH ?? '', HOME: os.tmpdir(), NO_COLOR: '1' };

const badConfig = [
  'tracker:',
  '  type: ftrak',
  'vendors:',
  '  CompersInc:',
  '    name: Compers Inc',
  '    users: [emma@compersinc.example]',
  '    priority: high',
  'transfer:',
  '  maxConnection: 4',
  '',
].join('\n');

describe('handoff config check (spawned)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-cli-'));
    await writeFile(path.join(dir, 'bad.yaml'), badConfig);
    await writeFile(path.join(dir, 'secret.yaml'), 'tracker:\n  ftrack: { serverUrl: "https://acme.ftrackapp.com", user: pipe, apiKey: "${FTRACK_API_KEY}" }\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const run = (args: string[], env: Record<string, string> = {}) =>
    execa('node', [bin, ...args], { cwd: dir, env: { ...cleanEnv, ...env }, extendEnv: false, reject: false, timeout: 20_000 });

  it('validates the shipped default on a fresh machine and prints it resolved', async () => {
    const result = await run(['config', 'check', path.join(repo, 'config/default.yaml')]);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/default\.yaml is valid/);
    expect(result.stderr).toMatch(/warning .*default\.yaml:\d+:\d+ tracker\.ftrack\.apiKey: empty/);
    expect(result.stdout).toMatch(/^studio:\n {2}name: Acme VFX$/m);
    expect(result.stdout).toMatch(/fullName: Something Completely Different/);
  });

  it('lists every problem with file:line:column and key path and exits 3', async () => {
    const result = await run(['config', 'check', 'bad.yaml']);
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toBe('');
    const file = path.join(dir, 'bad.yaml');
    expect(result.stderr).toContain('error CONFIG_INVALID: Config');
    expect(result.stderr).toContain(`${file}:2:3 tracker.type: expected one of "ftrack", "shotgrid", "memory", got "ftrak"`);
    expect(result.stderr).toContain(`${file}:7:5 vendors.CompersInc.priority: expected a number, got "high"`);
    expect(result.stderr).toContain(`${file}:9:3 transfer.maxConnection: unknown key "maxConnection"; did you mean "maxConnections"?`);
    expect(result.stderr).toMatch(/^hint: /m);
  });

  it('gives one JSON envelope for success and for failure, secrets redacted', async () => {
    const ok = await run(['config', 'check', 'secret.yaml', '--json'], { FTRACK_API_KEY: 'super-secret-key' });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).not.toContain('super-secret-key');
    const envelope = JSON.parse(ok.stdout);
    expect(envelope).toMatchObject({ ok: true, command: 'config check', data: { file: path.join(dir, 'secret.yaml'), origin: 'argument', valid: true } });
    expect(envelope.data.config.tracker.ftrack.apiKey).toBe('[redacted]');

    const failed = await run(['--json', 'config', 'check', 'secret.yaml']);
    expect(failed.exitCode).toBe(3);
    const error = JSON.parse(failed.stdout);
    expect(error).toMatchObject({ ok: false, command: 'config check', error: { code: 'CONFIG_ENV_MISSING', retryable: false, details: { variables: ['FTRACK_API_KEY'] } } });
    expect(error.error.hint).toMatch(/FTRACK_API_KEY/);
    expect(error.error.details.issues).toEqual([
      { file: path.join(dir, 'secret.yaml'), path: 'tracker.ftrack.apiKey', line: 2, column: 66, message: expect.stringMatching(/FTRACK_API_KEY is not set/) },
    ]);
  });

  it('exits 4 for a missing file and 2 for a usage mistake', async () => {
    const missing = await run(['config', 'check', 'nope.yaml']);
    expect(missing.exitCode).toBe(4);
    expect(missing.stderr).toMatch(/^error CONFIG_NOT_FOUND: Config file .*nope\.yaml \(from the command line\) does not exist/);
    const usage = await run(['config', 'chek']);
    expect(usage.exitCode).toBe(2);
    expect(usage.stderr).toMatch(/unknown command 'chek'/);
  });
});

describe('handoff config (in-process)', () => {
  it('uses $HANDOFF_CONFIG, then reports which file applies', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-cli-'));
    try {
      const file = path.join(dir, 'studio.yaml');
      await writeFile(file, 'studio: { name: Env Studio }\n');
      const check = memoryIo({ HANDOFF_CONFIG: file });
      expect(await main(['node', 'handoff', 'config', 'check', '--json'], check.io)).toBe(0);
      expect(JSON.parse(check.stdout()).data).toMatchObject({ file, origin: 'env', config: { studio: { name: 'Env Studio' } } });
      const where = memoryIo({});
      expect(await main(['node', 'handoff', '--config', file, 'config', 'path'], where.io)).toBe(0);
      expect(where.stdout()).toBe(`${file} (given on the command line)\n`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('handoff config check errors (in-process)', () => {
  it('reports an unreadable config as CONFIG_UNREADABLE with exit code 1', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-cli-'));
    try {
      const run = memoryIo({});
      expect(await main(['node', 'handoff', 'config', 'check', dir], run.io)).toBe(1);
      expect(run.stderr()).toMatch(new RegExp(`^error CONFIG_UNREADABLE: Cannot read config ${dir}: EISDIR`));
      expect(run.stdout()).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers a usage mistake with a CLI_USAGE envelope under --json', async () => {
    const run = memoryIo({});
    expect(await main(['node', 'handoff', 'config', 'check', 'a.yaml', 'b.yaml', '--json'], run.io)).toBe(2);
    expect(JSON.parse(run.stdout())).toEqual({
      ok: false,
      command: '',
      error: { code: 'CLI_USAGE', message: expect.stringMatching(/too many arguments/), retryable: false, hint: expect.any(String), details: { reason: 'commander.excessArguments' } },
    });
    expect(run.stderr()).toBe('');
  });
});

describe('handoff config init (in-process)', () => {
  it('writes the commented default, refuses to overwrite without --force', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-cli-'));
    try {
      const file = path.join(dir, 'studio.yaml');
      const first = memoryIo({});
      expect(await main(['node', 'handoff', 'config', 'init', file, '--json'], first.io)).toBe(0);
      expect(JSON.parse(first.stdout())).toEqual({ ok: true, command: 'config init', data: { file } });
      expect(await readFile(file, 'utf8')).toBe(await readFile(path.join(repo, 'config/default.yaml'), 'utf8'));

      await writeFile(file, 'studio: { name: Mine }\n');
      const again = memoryIo({});
      expect(await main(['node', 'handoff', 'config', 'init', file], again.io)).toBe(1);
      expect(again.stderr()).toBe(`error CONFIG_EXISTS: ${file} already exists\nhint: Pass --force to overwrite it, or give another file name.\n`);
      expect(await readFile(file, 'utf8')).toBe('studio: { name: Mine }\n');

      expect(await main(['node', 'handoff', 'config', 'init', file, '--force'], memoryIo({}).io)).toBe(0);
      const check = memoryIo({});
      expect(await main(['node', 'handoff', 'config', 'check', file], check.io)).toBe(0);
      expect(check.stdout()).toMatch(/name: Acme VFX/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
