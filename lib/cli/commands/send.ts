/**
 * `handoff send SRC... --to VENDOR[:PATH]`: appends the files to today's job
 * for that vendor (mirrored paths unless PATH is given) and, unless
 * --detach, runs it here with a progress bar until it is done or failed.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { HandoffError } from '../../core/errors.ts';
import type { Job, TaskSpec, TransferAdapter } from '../../transfer/types.ts';
import { cliAction, type CommandContext } from '../action.ts';
import { ExitCode } from '../exit-codes.ts';
import { addClientOptions, hqRootOf, progressLine, withTransfer, type ClientOptions } from '../transfer/client.ts';

interface SendOptions extends ClientOptions {
  to: string;
  name?: string;
  priority: string;
  detach?: boolean;
}

/** Turns a command-line source into a path relative to the HQ root. */
export function toVolumePath(source: string, hqRoot: string | undefined): string {
  if (!hqRoot) return source;
  const relative = path.relative(hqRoot, path.resolve(source));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new HandoffError('CLI_SOURCE_OUTSIDE_ROOT', `${source} is not inside the HQ root ${hqRoot}`, {
      details: { source, hqRoot },
      hint: 'Send files that live on the HQ volume, or point --hq-root at the volume that holds them.',
    });
  }
  return relative.split(path.sep).join('/');
}

export function dailyJobName(vendor: string, now = new Date()): string {
  return `send - hq > ${vendor} - ${now.toISOString().slice(2, 10).replace(/-/g, '')}`;
}

function parsePriority(text: string): number {
  const priority = Number(text);
  if (!Number.isInteger(priority) || priority < 1 || priority > 1000) {
    throw new HandoffError('CLI_OPTION_INVALID', `--priority must be a whole number from 1 to 1000, not ${JSON.stringify(text)}`, {
      hint: 'Higher runs first; 500 is the default.',
    });
  }
  return priority;
}

/** Follows the job with a progress bar until it is done or failed (or the user interrupts). */
async function waitForEnd(ctx: CommandContext, adapter: TransferAdapter, job: Job): Promise<Job> {
  const bar = ctx.progress.start({ label: job.name, total: job.progress.bytesTotal || undefined, unit: 'bytes' });
  const controller = new AbortController();
  const stop = () => controller.abort();
  ctx.signal.addEventListener('abort', stop, { once: true });
  let last = (await adapter.getJob(job.id)) ?? job;
  try {
    if (last.status !== 'done' && last.status !== 'failed') {
      for await (const event of adapter.watch({ jobId: job.id, signal: controller.signal })) {
        last = event.job;
        bar.update(last.progress.bytesDone);
        if (event.type === 'job.post-done' || event.type === 'job.post-failed') break;
      }
    }
    return last;
  } finally {
    ctx.signal.removeEventListener('abort', stop);
    controller.abort();
    if (last.status === 'failed') bar.fail(progressLine(last));
    else bar.done(progressLine(last));
  }
}

async function send(ctx: CommandContext, sources: string[], options: SendOptions): Promise<void> {
  const [vendor = '', folder] = options.to.split(/:(.*)/s);
  if (!vendor) throw new HandoffError('CLI_OPTION_INVALID', '--to needs a vendor code', { hint: 'For example --to CompersInc or --to CompersInc:incoming' });
  const priority = parsePriority(options.priority);
  const result = await withTransfer(ctx, options, !options.detach, async (adapter) => {
    const hqRoot = hqRootOf(options);
    const tasks: TaskSpec[] = sources.map((source) => {
      const rel = toVolumePath(source, hqRoot);
      return { source: rel, destination: folder ? `${folder}/${path.posix.basename(rel)}` : undefined, priority };
    });
    const job = await adapter.ensureJob({ name: options.name ?? dailyJobName(vendor), source: { kind: 'hq' }, destination: { kind: 'vendor', vendor }, mirrorPaths: !folder });
    const appended = await adapter.appendTasks(job.id, tasks);
    const final = options.detach ? ((await adapter.getJob(job.id)) ?? job) : await waitForEnd(ctx, adapter, job);
    return { job: final, added: appended.added.length, retried: appended.retried.length };
  });
  if (result.job.status === 'failed') ctx.exitCode = ExitCode.failure;
  ctx.result(result, (r) => `${r.job.name} (${r.job.id}): ${r.job.status}, ${r.added} added, ${r.retried} retried`);
}

export function register(program: Command): void {
  addClientOptions(
    program
      .command('send')
      .description('send files from the HQ volume to a vendor')
      .argument('<sources...>', 'files or folders on the HQ volume')
      .requiredOption('--to <vendor[:path]>', 'vendor, optionally with a destination folder (else paths are mirrored)')
      .option('--name <name>', 'job name (default: one job per vendor per day)')
      .option('--priority <1-1000>', 'task priority', '500')
      .option('--detach', 'queue the job and return without waiting'),
  ).action(cliAction(send));
}
