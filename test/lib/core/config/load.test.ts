import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHandoffError, type HandoffError } from '../../../../lib/core/errors.ts';
import { findConfigFile, inspectConfig, loadConfig, outsourceRuleFor, parseConfig, shippedDefaultConfig } from '../../../../lib/core/config/index.ts';
import type { ConfigIssue } from '../../../../lib/core/config/index.ts';
import { loadStudioSeed } from '../../../../lib/tracker/seed.ts';

function failure(run: () => unknown): HandoffError {
  try {
    run();
  } catch (err) {
    if (isHandoffError(err)) return err;
    throw err;
  }
  throw new Error('expected a HandoffError');
}

const issuesOf = (err: HandoffError) => err.details.issues as ConfigIssue[];

describe('parseConfig', () => {
  it('accepts an empty file and fills every default', () => {
    const config = parseConfig('', '/studio/handoff.yaml', {});
    expect(config.tracker.type).toBe('memory');
    expect(config.naming.publishFolder).toBe('{project}_{sequence}_{shot}_{task}_v{version:03}');
    expect(config.outsource.jobName).toBe('Outsource - download - {project} - {vendor} - {yymmdd}');
    expect(config.transfer.chunkSize).toBe(8 * 2 ** 20);
    expect(config.transfer.retry).toEqual({ maxAttempts: 0, initialDelay: 5000, maxDelay: 600_000 });
  });

  it('reports three mistakes at once with key paths, lines and columns', () => {
    const text = ['tracker:', '  type: ftrak', 'vendors:', '  CompersInc:', '    name: Compers Inc', '    users: [emma@compersinc.example]', '    priority: high', 'transfer:', '  maxConnection: 4', ''].join('\n');
    const err = failure(() => parseConfig(text, 'studio.yaml', {}));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(issuesOf(err).map(({ path: p, line, column }) => ({ path: p, line, column }))).toEqual([
      { path: 'tracker.type', line: 2, column: 3 },
      { path: 'vendors.CompersInc.priority', line: 7, column: 5 },
      { path: 'transfer.maxConnection', line: 9, column: 3 },
    ]);
    const [type, priority, unknown] = issuesOf(err);
    expect(type?.message).toMatch(/expected one of "ftrack", "shotgrid", "memory", got "ftrak"; did you mean "ftrack"/);
    expect(priority?.message).toMatch(/expected a number, got "high"/);
    expect(unknown?.message).toBe('unknown key "maxConnection"; did you mean "maxConnections"?');
    expect(err.message).toContain('studio.yaml:9:3 transfer.maxConnection');
    expect(issuesOf(err).every((issue) => issue.file === 'studio.yaml')).toBe(true);
  });

  it('says what shape was expected for wrong kinds of values', () => {
    const text = ['tracker: ftrack', 'vendors:', '  X: { name: X, users: emma }', '  "bad code!": { name: Y, users: [y] }', 'outsource: { note: yes }', 'naming: { publishFolder: "{project_{shot}" }', ''].join('\n');
    const err = failure(() => parseConfig(text, 'studio.yaml', {}));
    expect(issuesOf(err).map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`)).toEqual([
      '1:1 tracker: expected a mapping (key: value), got "ftrack"',
      '3:17 vendors.X.users: expected a list, got "emma"',
      '4:3 vendors["bad code!"]: invalid key: expected a vendor code: a letter, then letters, digits, "_" or "-"',
      '5:14 outsource.note: expected a boolean, got "yes"; write true or false',
      expect.stringMatching(/^6:11 naming\.publishFolder: invalid template: the "\{" at position 1 is never closed/),
    ]);
  });

  it('compiles every naming and path template with the naming rules', () => {
    const text = [
      'naming:',
      '  publishFolder: "{project}_{shot}_{tsak}_v{version:03}"',
      '  paths: { plates: "{project}/{{raw}}/{shot}/plates", refs: "{project}/{shot}/ref" }',
      '  fields: { layer: { pattern: "[a-z]+" } }',
      'outsource:',
      '  jobName: "Outsource - {vendor} - {yymmdd}"',
      '  rules: { Roto: { send: ["{project}/{shot}/{layer}", "{project}/{shto}"] } }',
      'publish: { destination: "{project}/{shot}/{folder}/{yymmdd}" }',
    ].join('\n');
    const err = failure(() => parseConfig(text, 'studio.yaml', {}));
    expect(issuesOf(err).map((i) => `${i.line}:${i.column} ${i.path}`)).toEqual([
      '2:3 naming.publishFolder',
      '7:55 outsource.rules.Roto.send[1]',
      '8:12 publish.destination',
    ]);
    expect(issuesOf(err)[0]?.message).toMatch(/^invalid template: "\{tsak\}" is not a known field \(known: .*task/);
  });

  it('interpolates ${VAR} and ${VAR:-default}, leaves runtime placeholders and $${...} literal', () => {
    const text = [
      'tracker:',
      '  ftrack: { serverUrl: "${SERVER:-https://acme.ftrackapp.com}", user: "${USER_NAME}", apiKey: "${KEY}" }',
      'hooks:',
      '  job.post-done: ["python3 /pipe/notify.py ${PATH_JSON_INPUT} ${PATH_JSON_OUTPUT} $${HOME}"]',
    ].join('\n');
    const config = parseConfig(text, 'studio.yaml', { USER_NAME: 'pipe', KEY: 'a: #secret' });
    expect(config.tracker).toMatchObject({ type: 'ftrack', ftrack: { serverUrl: 'https://acme.ftrackapp.com', user: 'pipe', apiKey: 'a: #secret' } });
    expect(config.hooks.entries).toEqual([{ on: 'job.post-done', command: 'python3 /pipe/notify.py ${PATH_JSON_INPUT} ${PATH_JSON_OUTPUT} ${HOME}' }]);
  });

  it('names every missing environment variable with its key and line', () => {
    const text = 'tracker:\n  ftrack:\n    serverUrl: https://acme.ftrackapp.com\n    user: ${FT_USER}\n    apiKey: ${FT_KEY}\n';
    const err = failure(() => parseConfig(text, 'studio.yaml', {}));
    expect(err.code).toBe('CONFIG_ENV_MISSING');
    expect(err.details.variables).toEqual(['FT_USER', 'FT_KEY']);
    expect(issuesOf(err).map((i) => [i.path, i.line, i.column])).toEqual([
      ['tracker.ftrack.user', 4, 5],
      ['tracker.ftrack.apiKey', 5, 5],
    ]);
  });

  it('reports a missing variable together with other mistakes as CONFIG_INVALID', () => {
    const err = failure(() => parseConfig('server:\n  port: ${PORT}\n  colour: blue\n', 'studio.yaml', {}));
    expect(err.code).toBe('CONFIG_INVALID');
    expect(issuesOf(err).map((i) => i.path)).toEqual(['server.port', 'server.colour']);
  });

  it('keeps js-yaml line and column for syntax errors', () => {
    const err = failure(() => parseConfig('tracker:\n  type: ftrack\n   memory: {}\n', 'broken.yaml', {}));
    expect(err.code).toBe('CONFIG_YAML_SYNTAX');
    expect(err.details).toMatchObject({ file: 'broken.yaml', line: 3, column: 10 });
    expect(err.message).toMatch(/^broken\.yaml:3:10: YAML syntax error/);
  });

  it('checks references between sections: volumes, path templates, vendor users and homes', () => {
    const text = [
      'volumes: { proj: { path: /mnt/proj }, cache: { path: /mnt/cache } }',
      'defaultVolume: prj',
      'vendors:',
      '  A: { name: A, users: [emma@x.example], home: ../outside }',
      '  B: { name: B, users: [Emma@x.example] }',
      'outsource:',
      '  rules:',
      '    Cleanup: { send: [platez] }',
    ].join('\n');
    const err = failure(() => parseConfig(text, 'studio.yaml', {}));
    expect(issuesOf(err).map((i) => `${i.line} ${i.path}`)).toEqual([
      '2 defaultVolume',
      '4 vendors.A.home',
      '5 vendors.B.users[0]',
      '8 outsource.rules.Cleanup.send[0]',
    ]);
    expect(issuesOf(err)[0]?.message).toMatch(/did you mean "proj"/);
    expect(issuesOf(err)[3]?.message).toMatch(/did you mean "plates"/);
  });

  it('ignores top-level x- keys, so YAML anchors can be shared', () => {
    const text = ['x-vendor: &vendor', '  priority: 700', 'vendors:', '  A: { <<: *vendor, name: A, users: [a@x.example] }', '  B: { <<: *vendor, name: B, users: [b@x.example], priorty: 3 }'].join('\n');
    const err = failure(() => parseConfig(text, 'studio.yaml', {}));
    expect(issuesOf(err).map((i) => [i.path, i.line, i.message])).toEqual([['vendors.B.priorty', 5, 'unknown key "priorty"; did you mean "priority"?']]);
    expect(parseConfig(text.replace(', priorty: 3', ''), 'studio.yaml', {}).vendors.B?.priority).toBe(700);
  });

  it('picks the volume root for the OS it runs on', () => {
    const key = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'darwin' : 'linux';
    const config = parseConfig(`volumes:\n  proj: { path: /mnt/proj, ${key}: /os/proj }\n  cache: { path: /mnt/cache }\ndefaultVolume: proj\n`, 'studio.yaml', {});
    expect(config.volumes).toEqual({ proj: { path: '/os/proj' }, cache: { path: '/mnt/cache' } });
    const err = failure(() => parseConfig('volumes:\n  proj: { description: none }\n', 'studio.yaml', {}));
    expect(issuesOf(err).map((i) => [i.path, i.line, i.message])).toEqual([['volumes.proj', 2, `expected "path" (or "${key}"): no path for this machine's OS`]]);
  });

  it('resolves vendors, projects, hooks and per-task-type rules', () => {
    const text = [
      'volumes: { proj: { path: /mnt/proj } }',
      'projects: { scd: {} }',
      'vendors: { CompersInc: { name: Compers Inc, users: [emma@compersinc.example] } }',
      'outsource: { rules: { Cleanup: { send: [plates], status: null } } }',
      'hooks: { folders: [hooks], job.post-done: [hooks/notify.ts, { command: notify, timeout: 2m }] }',
    ].join('\n');
    const config = parseConfig(text, '/studio/handoff.yaml', {});
    expect(config.defaultVolume).toBe('proj');
    expect(config.projects.scd).toEqual({ code: 'scd', fullName: 'scd', volume: 'proj', root: 'scd' });
    expect(config.vendors.CompersInc).toMatchObject({ code: 'CompersInc', home: '_VENDORS/CompersInc', volume: 'proj', priority: 500, folders: { toClient: 'TO_CLIENT', fromClient: 'FROM_CLIENT' } });
    expect(config.hooks).toEqual({
      folders: ['/studio/hooks'],
      entries: [
        { on: 'job.post-done', module: '/studio/hooks/notify.ts' },
        { on: 'job.post-done', command: 'notify', timeoutMs: 120_000 },
      ],
    });
    expect(outsourceRuleFor(config, 'cleanup')).toEqual({ send: [{ template: 'plates', globs: ['**/*'], optional: false }], status: null, note: true });
    expect(outsourceRuleFor(config, 'Lighting')).toEqual({ send: [], status: 'Outsourced', note: true });
  });
});

describe('config files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-config-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('validates the shipped default on a machine with no handoff variables set', async () => {
    const report = await inspectConfig(shippedDefaultConfig, { env: {} });
    expect(report.config.studio.name).toBe('Acme VFX');
    expect(report.config.tracker.type).toBe('ftrack');
    expect(report.config.vendors.CompersInc?.users).toEqual(['emma@compersinc.example']);
    expect(report.config.projects.scd?.fullName).toBe('Something Completely Different');
    expect(report.warnings.map((w) => w.path)).toContain('tracker.ftrack.apiKey');
  });

  it('keeps the shipped default consistent with the demo studio seed', async () => {
    const [config, seed] = await Promise.all([loadConfig(shippedDefaultConfig, { env: {} }), loadStudioSeed('demo')]);
    const users = seed.users.map((u) => u.username);
    const statuses = seed.statuses.map((s) => s.name);
    expect(Object.values(config.vendors).flatMap((v) => v.users).filter((u) => !users.includes(u))).toEqual([]);
    expect(Object.keys(config.projects).filter((code) => !seed.projects.some((p) => p.name === code))).toEqual([]);
    for (const project of seed.projects) expect(config.projects[project.name]?.fullName).toBe(project.fullName);
    expect([config.outsource.status, config.publish.status].filter((s) => s !== null && !statuses.includes(s))).toEqual([]);
    const types = [...Object.keys(config.outsource.rules), ...Object.keys(config.publish.extensions)].filter((t) => t !== 'default');
    expect(types.filter((t) => !seed.taskTypes.includes(t))).toEqual([]);
  });

  it('finds the file: argument, then $HANDOFF_CONFIG, then ./handoff.yaml, then the shipped default', async () => {
    await writeFile(path.join(dir, 'a.yaml'), 'studio: { name: A }\n');
    await writeFile(path.join(dir, 'handoff.yaml'), 'studio: { name: Local }\n');
    expect(await findConfigFile('a.yaml', { cwd: dir, env: {} })).toEqual({ file: path.join(dir, 'a.yaml'), origin: 'argument' });
    expect(await findConfigFile(undefined, { cwd: dir, env: { HANDOFF_CONFIG: 'a.yaml' } })).toEqual({ file: path.join(dir, 'a.yaml'), origin: 'env' });
    expect((await loadConfig(undefined, { cwd: dir, env: {} })).studio.name).toBe('Local');
    expect(await findConfigFile(undefined, { cwd: os.tmpdir(), env: {} })).toEqual({ file: shippedDefaultConfig, origin: 'default' });
  });

  it('fails with CONFIG_NOT_FOUND naming the file and where it came from', async () => {
    const missing = path.join(dir, 'nope.yaml');
    await expect(loadConfig(missing, { env: {} })).rejects.toMatchObject({ code: 'CONFIG_NOT_FOUND', details: { file: missing, origin: 'argument' } });
    await expect(loadConfig(undefined, { env: { HANDOFF_CONFIG: missing } })).rejects.toThrow(/from \$HANDOFF_CONFIG/);
  });
});
