import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../../lib/cli/main.ts';
import { createFileRegistry, createHqIdentity, createHqListener } from '../../../../lib/transfer/wire/index.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function run(args: string[]): Promise<{ code: number; out: string }> {
  const chunks: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (chunks.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  const code = await main(['node', 'handoff', ...args]);
  vi.restoreAllMocks();
  process.exitCode = undefined;
  return { code, out: chunks.join('') };
}

describe('handoff agent', () => {
  it('enrols once with a code, keeps the credentials owner-only, and refuses to run without them', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'handoff-agent-cli-'));
    const listener = await createHqListener({ identity: await createHqIdentity(['127.0.0.1']), registry: createFileRegistry(path.join(dir, 'hq.json')) });
    cleanups.push(async () => {
      await listener.close();
      await rm(dir, { recursive: true, force: true });
    });
    const code = await listener.createEnrolmentCode('CompersInc');
    const agentDir = path.join(dir, 'agent');
    const enrolled = await run(['agent', 'enrol', '--hq', listener.url, '--code', code, '--dir', agentDir, '--json']);
    expect(JSON.parse(enrolled.out)).toEqual({ vendor: 'CompersInc', dir: agentDir });
    expect((await stat(path.join(agentDir, 'agent.json'))).mode & 0o777).toBe(0o600);

    const again = await run(['agent', 'enrol', '--hq', listener.url, '--code', code, '--dir', agentDir, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.out)).toMatchObject({ error: { code: 'WIRE_ENROL_REFUSED' } });

    const missing = await run(['agent', 'run', '--hq', listener.url, '--root', dir, '--dir', path.join(dir, 'nowhere'), '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.out)).toMatchObject({ error: { code: 'WIRE_NOT_ENROLLED' } });
  });
});
