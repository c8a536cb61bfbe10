/**
 * `handoff config check` never shows a secret: hook `env` values, credentials in hook command
 * lines and URLs, plain, with --json and with --debug, and not in a YAML syntax error's excerpt.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../../lib/cli/main.ts';
import { memoryIo } from '../../../support/cli-io.ts';

const SECRETS = ['s3cr3t-api-key', 'hunter2pw', 'qwerty-token-9', 'KEY-FLAG-77', 'db-pass-55', 'site-value-31', 'bearer-abcdefgh'];

const valid = [
  'tracker:',
  '  type: ftrack',
  '  ftrack: { serverUrl: "https://acme.ftrackapp.com", user: pipe, apiKey: s3cr3t-api-key }',
  'hooks:',
  '  job.post-done:',
  `    - command: 'curl -H "Authorization: Bearer bearer-abcdefgh" https://bob:hunter2pw@hooks.example/x?token=qwerty-token-9 --api-key KEY-FLAG-77 \${PATH_JSON_INPUT}'`,
  '      env:',
  '        STUDIO_DB: postgres://u:db-pass-55@db/x',
  '        SITE: site-value-31',
  '',
].join('\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-cli-secrets-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function check(text: string, flags: string[]): Promise<{ code: number; output: string }> {
  const file = path.join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, text);
  const run = memoryIo({});
  const code = await main(['node', 'handoff', 'config', 'check', file, ...flags], run.io);
  return { code, output: run.stdout() + run.stderr() };
}

const leaked = (output: string): string[] => SECRETS.filter((s) => output.includes(s));

describe('config check redaction', () => {
  it.each([[[]], [['--json']], [['--debug']], [['--json', '--debug']]])('shows no hook env value or credential with %j', async (flags) => {
    const { code, output } = await check(valid, flags);
    expect(code).toBe(0);
    expect(leaked(output)).toEqual([]);
    expect(output).toContain('hooks.example/x');
    expect(output).toMatch(/STUDIO_DB/);
  });

  it.each([[[]], [['--json', '--debug']], [['--debug']]])('masks secret values near a YAML syntax error with %j', async (flags) => {
    const broken = valid.replace('  job.post-done:', '  job.post-done: [').replace("        SITE: site-value-31", "        SITE: site-value-31\n    oops: 'unclosed");
    const { code, output } = await check(broken, flags);
    expect(code).toBe(3);
    expect(output).toContain('CONFIG_YAML_SYNTAX');
    expect(leaked(output)).toEqual([]);
  });
});
