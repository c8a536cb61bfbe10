import { describe, expect, it } from 'vitest';
import { ExitCode, exitCodeFor } from '../../../lib/cli/exit-codes.ts';
import { createOutput } from '../../../lib/cli/output.ts';
import { HandoffError } from '../../../lib/core/errors.ts';
import { memoryIo } from '../../support/cli-io.ts';

const flags = { json: false, debug: false, color: true };

describe('createOutput', () => {
  it('prints a HandoffError as "error CODE: message" with its hint, and returns its exit code', () => {
    const { io, stderr, stdout } = memoryIo();
    const code = createOutput(io, flags).error('jobs show', new HandoffError('JOB_NOT_FOUND', 'No job named "x"', { hint: 'List jobs with `handoff jobs list`.' }));
    expect(code).toBe(ExitCode.notFound);
    expect(stdout()).toBe('');
    expect(stderr()).toBe('error JOB_NOT_FOUND: No job named "x"\nhint: List jobs with `handoff jobs list`.\n');
  });

  it('prints other errors briefly, with the stack only in debug mode', () => {
    const plain = memoryIo();
    expect(createOutput(plain.io, flags).error('x', new TypeError('boom'))).toBe(ExitCode.failure);
    expect(plain.stderr()).toMatch(/^error INTERNAL: boom\nhint: .*\nRun again with --debug/);
    expect(plain.stderr()).not.toMatch(/at .*output\.test\.ts/);
    const debug = memoryIo();
    createOutput(debug.io, { ...flags, debug: true }).error('x', new TypeError('boom', { cause: new Error('root cause') }));
    expect(debug.stderr()).toMatch(/TypeError: boom\n +at /);
    expect(debug.stderr()).toMatch(/caused by:\nError: root cause/);
  });

  it('writes the JSON envelopes on stdout, secrets in error details redacted', () => {
    const { io, stdout, stderr } = memoryIo();
    const out = createOutput(io, { ...flags, json: true });
    out.result('jobs list', [{ id: 1 }], () => 'human text');
    out.note('not shown with --json');
    out.error('jobs list', new HandoffError('TRACKER_UNAVAILABLE', 'ftrack is down', { retryable: true, details: { apiKey: 'k', status: 503 } }));
    const [ok, failed] = stdout().trim().split('\n').map((l) => JSON.parse(l));
    expect(ok).toEqual({ ok: true, command: 'jobs list', data: [{ id: 1 }] });
    expect(failed).toEqual({ ok: false, command: 'jobs list', error: { code: 'TRACKER_UNAVAILABLE', message: 'ftrack is down', retryable: true, details: { apiKey: '[redacted]', status: 503 } } });
    expect(stderr()).toBe('');
  });

  it('colours only on a terminal and never with NO_COLOR or --no-color', () => {
    const red = (io: ReturnType<typeof memoryIo>, f = flags) => {
      createOutput(io.io, f).error('x', new HandoffError('X_FAILED', 'm'));
      return io.stderr().includes('\x1b[');
    };
    expect(red(memoryIo({}, true))).toBe(true);
    expect(red(memoryIo({ NO_COLOR: '1' }, true))).toBe(false);
    expect(red(memoryIo({}, true), { ...flags, color: false })).toBe(false);
    expect(red(memoryIo({}, false))).toBe(false);
  });
});

describe('exitCodeFor', () => {
  it.each([
    ['CONFIG_INVALID', false, ExitCode.invalid],
    ['CONFIG_YAML_SYNTAX', false, ExitCode.invalid],
    ['CONFIG_ENV_MISSING', false, ExitCode.invalid],
    ['PATH_UNSAFE', false, ExitCode.invalid],
    ['CONFIG_NOT_FOUND', false, ExitCode.notFound],
    ['ACCESS_DENIED', false, ExitCode.denied],
    ['TRACKER_UNAVAILABLE', true, ExitCode.unavailable],
    ['CLI_USAGE', false, ExitCode.usage],
    ['HOOK_FAILED', false, ExitCode.failure],
  ] as const)('%s (retryable %s) → %i', (code, retryable, exit) => {
    expect(exitCodeFor(new HandoffError(code, 'm', { retryable }))).toBe(exit);
  });

  it('maps anything else to 1', () => {
    expect(exitCodeFor(new Error('x'))).toBe(ExitCode.failure);
  });
});
