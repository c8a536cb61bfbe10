/**
 * One exit-code table for every command: each error code in docs/errors.md
 * gets a code the table in docs/cli.md documents, retryable errors exit 5,
 * and the codes people got wrong before are pinned.
 */
import { createServer } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HandoffError } from '../../../lib/core/errors.ts';
import { ExitCode, exitCodeFor } from '../../../lib/cli/exit-codes.ts';
import { main } from '../../../lib/cli/main.ts';
import { memoryIo } from '../../support/cli-io.ts';

const ROOT = join(import.meta.dirname, '../../..');
const rows = [...readFileSync(join(ROOT, 'docs/errors.md'), 'utf8').matchAll(/^\| `([A-Z0-9_]+)` \| (yes|no) \|/gm)].map((m) => ({
  code: m[1]!,
  retryable: m[2] === 'yes',
}));
const cliDoc = readFileSync(join(ROOT, 'docs/cli.md'), 'utf8');
const table = cliDoc.slice(cliDoc.indexOf('## Exit codes'), cliDoc.indexOf('## Errors for people'));
const documented = new Map([...table.matchAll(/^\| (\d+) \| `(\w+)` \|/gm)].map((m) => [Number(m[1]), m[2]!]));

describe('exit codes', () => {
  it('docs/cli.md documents every ExitCode by number and name', () => {
    expect(Object.fromEntries([...documented].map(([n, name]) => [name, n]))).toEqual(ExitCode);
  });

  it('every code in docs/errors.md maps to a documented exit code, retryable ones to 5', () => {
    expect(rows.length).toBeGreaterThan(100);
    for (const { code, retryable } of rows) {
      const exit = exitCodeFor(new HandoffError(code, 'x', { retryable }));
      expect(documented.has(exit), code).toBe(true);
      if (retryable && exit !== ExitCode.interrupted) expect(exit, code).toBe(ExitCode.unavailable);
    }
  });

  it('names each exception of the code in docs/cli.md', () => {
    for (const code of ['OUTSOURCE_VENDOR_REQUIRED', 'AGENT_NOT_ENROLLED', 'TRACKER_KEY_MISSING', 'PUBLISH_FIELDS_MISSING', 'SERVER_AGENT_SIGNATURE_INVALID']) {
      expect(table).toContain(`\`${code}\``);
    }
  });

  it.each([
    ['FTRACK_AUTH_FAILED', ExitCode.denied],
    ['FTRACK_URL_INVALID', ExitCode.invalid],
    ['SERVER_AGENT_SIGNATURE_INVALID', ExitCode.denied],
    ['PUBLISH_FIELDS_MISSING', ExitCode.invalid],
    ['TRACKER_KEY_MISSING', ExitCode.invalid],
    ['FTRACK_OPTIONS_INVALID', ExitCode.invalid],
    ['FOLDER_NOT_FOUND', ExitCode.notFound],
    ['OUTSOURCE_VENDOR_UNKNOWN', ExitCode.notFound],
    ['WIRE_UNAUTHORISED', ExitCode.denied],
  ])('%s exits %i', (code, exit) => {
    // Even when a remote end marked it retryable, the code decides.
    expect(exitCodeFor(new HandoffError(code, 'x', { retryable: true }))).toBe(exit);
  });

  it('an error that is not a HandoffError exits 1', () => {
    expect(exitCodeFor(new Error('boom'))).toBe(ExitCode.failure);
  });

  it('refuses `agent enrol` without --root as a usage error, before contacting HQ', async () => {
    const { io, stderr } = memoryIo();
    const code = await main(['node', 'handoff', 'agent', '--home', '/nonexistent/handoff-home', 'enrol', '--hq', 'handoff://127.0.0.1:1', '--code', 'hoff1.x'], io);
    expect(code).toBe(ExitCode.usage);
    expect(stderr()).toContain("required option '--root <dir>'");
  });

  it('a port in use is PORT_IN_USE (exit 5), not INTERNAL', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    try {
      const { io, stdout } = memoryIo();
      const code = await main(['node', 'handoff', 'emulate', 'ftrack', '--no-persist', '--port', String(port), '--json'], io);
      const envelope = JSON.parse(stdout().trim().split('\n').pop()!) as { error: { code: string; message: string } };
      expect(envelope.error.code).toBe('PORT_IN_USE');
      expect(envelope.error.message).toContain(String(port));
      expect(code).toBe(ExitCode.unavailable);
    } finally {
      blocker.close();
    }
  });
});
