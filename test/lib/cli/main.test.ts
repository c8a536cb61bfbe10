import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cliAction } from '../../../lib/cli/action.ts';
import { ExitCode } from '../../../lib/cli/exit-codes.ts';
import { buildProgram, main, runProgram } from '../../../lib/cli/main.ts';
import type { CliIo } from '../../../lib/cli/output.ts';
import { HandoffError } from '../../../lib/core/errors.ts';
import { memoryIo } from '../../support/cli-io.ts';

/** A program with the real frame plus a few commands that exercise it. */
function programWith(io: CliIo, json: boolean) {
  const program = buildProgram(io, json);
  program.command('crash').action(cliAction(() => {
    throw new TypeError('undefined is not a function');
  }));
  program.command('busy').action(cliAction(async (ctx) => {
    const bar = ctx.progress.start({ label: 'waiting', total: 10 });
    if (!ctx.signal.aborted) await once(ctx.signal, 'abort');
    bar.fail('interrupted');
    throw ctx.signal.reason;
  }));
  program
    .command('partial')
    .option('--fail-some')
    .action(cliAction((ctx, opts: { failSome?: boolean }) => {
      ctx.out.note('checked 3 folders');
      ctx.result({ published: 2, rejected: 1 }, (d, style) => `${style.green(String(d.published))} published, ${d.rejected} rejected`);
      if (opts.failSome) ctx.exitCode = ExitCode.invalid;
    }));
  return program;
}

async function run(args: string[], setup: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {}) {
  const mem = memoryIo(setup.env ?? {});
  const io = { ...mem.io, ...(setup.signal ? { signal: setup.signal } : {}) };
  const json = args.includes('--json');
  const code = await runProgram(programWith(io, json), ['node', 'handoff', ...args], io, json);
  return { code, stdout: mem.stdout(), stderr: mem.stderr() };
}

describe('the CLI frame', () => {
  it('prints a short message for an unexpected error and the stack only with --debug or HANDOFF_DEBUG', async () => {
    const plain = await run(['crash']);
    expect(plain.code).toBe(ExitCode.failure);
    expect(plain.stderr).toMatch(/^error INTERNAL: undefined is not a function\n/);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    for (const debug of [await run(['crash', '--debug']), await run(['crash'], { env: { HANDOFF_DEBUG: '1' } })]) {
      expect(debug.stderr).toMatch(/TypeError: undefined is not a function\n\s+at /);
    }
    const json = await run(['--json', '--debug', 'crash']);
    expect(JSON.parse(json.stdout).error).toMatchObject({ code: 'INTERNAL', details: { stack: expect.stringMatching(/TypeError/) } });
  });

  it('lets a command pick its exit code after reporting a result', async () => {
    const ok = await run(['partial']);
    expect(ok).toEqual({ code: 0, stdout: '2 published, 1 rejected\n', stderr: 'checked 3 folders\n' });
    const some = await run(['partial', '--fail-some', '--json']);
    expect(some.code).toBe(ExitCode.invalid);
    expect(JSON.parse(some.stdout)).toEqual({ ok: true, command: 'partial', data: { published: 2, rejected: 1 } });
    expect(some.stderr).toBe('');
  });

  it('gives commands an abort signal and exits 130 with INTERRUPTED when it fires', async () => {
    const controller = new AbortController();
    const pending = run(['busy'], { signal: controller.signal });
    controller.abort(new HandoffError('INTERRUPTED', 'Interrupted by SIGINT'));
    const result = await pending;
    expect(result.code).toBe(ExitCode.interrupted);
    expect(result.stderr).toMatch(/waiting: failed 0% 0\/10 .* - interrupted\nerror INTERRUPTED: Interrupted by SIGINT\n$/);

    const plain = new AbortController();
    const wrapped = run(['busy', '--json'], { signal: plain.signal });
    plain.abort();
    const envelope = JSON.parse((await wrapped).stdout);
    expect(envelope).toMatchObject({ ok: false, command: 'busy', error: { code: 'INTERRUPTED', message: 'Interrupted', hint: expect.stringMatching(/again/) } });
  });

  it('exits 0 for --help and --version, 2 for a missing subcommand', async () => {
    const help = memoryIo();
    expect(await main(['node', 'handoff', '--help'], help.io)).toBe(0);
    expect(help.stdout()).toMatch(/Examples:\n {2}\$ handoff config check/);
    const version = memoryIo();
    expect(await main(['node', 'handoff', '--version'], version.io)).toBe(0);
    expect(version.stdout()).toBe('0.1.0\n');
    const bare = memoryIo();
    expect(await main(['node', 'handoff', 'config'], bare.io)).toBe(ExitCode.usage);
    expect(bare.stderr()).toMatch(/Usage: handoff config/);
  });
});

describe('interrupting a real process', () => {
  it('turns Ctrl-C into the abort signal, then exits 130 with INTERRUPTED', async () => {
    const fixture = fileURLToPath(new URL('../../fixtures/cli/waiting-cli.ts', import.meta.url));
    const child = execa('node', ['--import', 'tsx', fixture, 'wait'], { reject: false, timeout: 20_000, env: { NO_COLOR: '1' } });
    let seen = '';
    child.stdout?.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: string) => {
        seen += chunk;
        if (seen.includes('ready')) resolve();
      });
      child.once('exit', () => reject(new Error(`exited before it was ready: ${seen}`)));
    });
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(ExitCode.interrupted);
    expect(result.stderr).toMatch(/Ctrl-C: stopping \(press Ctrl-C again to quit at once\)\nerror INTERRUPTED: Interrupted by SIGINT\nhint: /);
  });
});
