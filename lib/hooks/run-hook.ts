import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { HandoffError, toHandoffError } from '../core/errors.ts';
import { redactText } from '../core/redact.ts';
import { commandArgs, substitute } from './command-line.ts';
import { hookEnvironment } from './hook-env.ts';
import { defaultHookTimeoutMs, type CommandHook, type Hook, type HookServices, type ModuleHook } from './define-hook.ts';
import type { Lifecycle } from './lifecycle.ts';

const outputLimit = 64 * 1024;

interface HookRunBase {
  hook: string;
  on: Lifecycle;
  durationMs: number;
  /** Captured output of a command hook, or lines a module hook logged (trimmed to 64 KiB). */
  log: string;
}

export type HookRunResult =
  | (HookRunBase & { ok: true; output: unknown })
  | (HookRunBase & { ok: false; error: { code: string; message: string } });

/** Runs one hook with a timeout. Never throws: the result says what happened. */
export async function runHook(hook: Hook, input: unknown, signal?: AbortSignal, services: HookServices = {}): Promise<HookRunResult> {
  const started = performance.now();
  const base = { hook: hook.name, on: hook.on };
  const timeoutMs = hook.timeoutMs ?? defaultHookTimeoutMs;
  const lines: string[] = [];
  try {
    const outcome =
      hook.kind === 'module'
        ? await runModule(hook, input, timeoutMs, signal, lines, services)
        : await runCommand(hook, input, timeoutMs, signal);
    const durationMs = Math.round(performance.now() - started);
    return { ...base, ok: true, output: outcome.output, durationMs, log: trim(outcome.log ?? lines.join('\n')) };
  } catch (err) {
    const error = toHandoffError(err, 'HOOK_FAILED');
    const log = trim((error.details['log'] as string | undefined) ?? lines.join('\n'));
    return { ...base, ok: false, durationMs: Math.round(performance.now() - started), log, error: { code: error.code, message: error.message } };
  }
}

async function runModule(hook: ModuleHook, input: unknown, timeoutMs: number, outer: AbortSignal | undefined, lines: string[], services: HookServices) {
  const controller = new AbortController();
  const abort = () => controller.abort();
  outer?.addEventListener('abort', abort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(timeoutError(hook, timeoutMs));
    }, timeoutMs);
  });
  try {
    const context = { signal: controller.signal, log: (message: string) => void lines.push(message), services };
    const output = await Promise.race([Promise.resolve(hook.handler(input as never, context)), timeout]);
    return { output, log: undefined };
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', abort);
  }
}

async function runCommand(hook: CommandHook, input: unknown, timeoutMs: number, signal: AbortSignal | undefined) {
  const dir = await mkdtemp(path.join(tmpdir(), 'handoff-hook-'));
  const inputPath = path.join(dir, 'input.json');
  const outputPath = path.join(dir, 'output.json');
  try {
    await writeFile(inputPath, JSON.stringify(input, null, 2));
    const values = { PATH_JSON_INPUT: inputPath, PATH_JSON_OUTPUT: outputPath };
    const [file, ...args] = commandArgs(hook.command).map((arg) => substitute(arg, values));
    const subprocess = execa(file as string, args, {
      cwd: hook.cwd,
      env: hookEnvironment(hook.env, { ...values, HANDOFF_HOOK: hook.on, HANDOFF_JSON_INPUT: inputPath, HANDOFF_JSON_OUTPUT: outputPath }),
      extendEnv: false,
      // Its own process group, so a timeout or cancel also stops what the command started.
      detached: process.platform !== 'win32',
      reject: false,
      all: true,
      stdin: 'ignore',
    });
    const stopper = stopOnTimeoutOrAbort(subprocess, timeoutMs, signal);
    const result = await subprocess.finally(stopper.dispose);
    const log = result.all ?? '';
    if (stopper.timedOut()) throw withLog(timeoutError(hook, timeoutMs), log);
    if (result.failed) {
      // The spawn error quotes the command line, which may carry a credential.
      const reason = result.exitCode === undefined ? redactText(result.shortMessage ?? '') : `exited with code ${result.exitCode}`;
      throw withLog(
        new HandoffError('HOOK_FAILED', `Hook ${hook.name} ${reason}`, {
          details: { exitCode: result.exitCode },
          hint: 'Read the hook output recorded on the job, fix the script, then retry the job.',
        }),
        log,
      );
    }
    return { output: await readOutput(hook, outputPath, log), log };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const KILL_GRACE_MS = 2000;

/** Stops the command's whole process group at the timeout or on abort: SIGTERM, then SIGKILL after a grace. */
function stopOnTimeoutOrAbort(subprocess: ResultPromise, timeoutMs: number, signal: AbortSignal | undefined) {
  let timedOut = false;
  let grace: NodeJS.Timeout | undefined;
  const kill = (name: NodeJS.Signals): void => {
    try {
      if (process.platform === 'win32' || subprocess.pid === undefined) subprocess.kill(name);
      else process.kill(-subprocess.pid, name);
    } catch {
      // Already gone.
    }
  };
  const stop = (): void => {
    if (grace) return;
    kill('SIGTERM');
    grace = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, timeoutMs);
  if (signal?.aborted) stop();
  signal?.addEventListener('abort', stop, { once: true });
  return {
    timedOut: () => timedOut,
    dispose: (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', stop);
      if (!grace) return;
      clearTimeout(grace);
      kill('SIGKILL'); // whatever in the group ignored SIGTERM
    },
  };
}

async function readOutput(hook: CommandHook, outputPath: string, log: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(outputPath, 'utf8');
  } catch {
    return undefined;
  }
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw withLog(
      new HandoffError('HOOK_OUTPUT_INVALID', `Hook ${hook.name} wrote output that is not JSON`, {
        cause,
        hint: 'Write a single JSON document to ${PATH_JSON_OUTPUT}.',
      }),
      log,
    );
  }
}

function timeoutError(hook: Hook, timeoutMs: number): HandoffError {
  return new HandoffError('HOOK_TIMEOUT', `Hook ${hook.name} did not finish within ${timeoutMs} ms`, {
    retryable: true,
    details: { timeoutMs },
    hint: 'Make the hook hand long work to a farm or queue, or raise its timeout.',
  });
}

function withLog(error: HandoffError, log: string): HandoffError {
  error.details['log'] = log;
  return error;
}

function trim(text: string): string {
  return text.length > outputLimit ? `…${text.slice(-outputLimit)}` : text;
}
