/**
 * `handoff send SRC... --to VENDOR[:PATH]`: appends the files to today's job
 * for that vendor (mirrored paths unless PATH is given) and, unless
 * --detach, runs it here with a progress bar until it is done or failed.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { HandoffError } from '../../core/errors.ts';
import type { Job, TaskSpec, TransferAdapter } from '../../transfer/types.ts';
import { addClientOptions, hqRootOf, withTransfer, type ClientOptions } from '../transfer/client.ts';
import { createProgressView } from '../transfer/progress.ts';

interface SendOptions extends ClientOptions {
  to: string;
  name?: string;
  priority?: string;
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

async function waitForEnd(adapter: TransferAdapter, job: Job, json: boolean): Promise<Job> {
  const view = json ? undefined : createProgressView();
  const controller = new AbortController();
  const events = adapter.watch({ jobId: job.id, signal: controller.signal });
  let last = (await adapter.getJob(job.id)) ?? job;
  try {
    if (last.status === 'done' || last.status === 'failed') return last;
    for await (const event of events) {
      last = event.job;
      view?.update(last);
      if (event.type === 'job.post-done' || event.type === 'job.post-failed') break;
    }
    return last;
  } finally {
    controller.abort();
    view?.done();
  }
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
  ).action(async (sources: string[], options: SendOptions) => {
    await withTransfer(options, !options.detach, async (adapter) => {
      const [vendor = '', folder] = options.to.split(/:(.*)/s);
      const hqRoot = hqRootOf(options);
      const tasks: TaskSpec[] = sources.map((source) => {
        const rel = toVolumePath(source, hqRoot);
        return { source: rel, destination: folder ? `${folder}/${path.posix.basename(rel)}` : undefined, priority: Number(options.priority) };
      });
      const job = await adapter.ensureJob({ name: options.name ?? dailyJobName(vendor), source: { kind: 'hq' }, destination: { kind: 'vendor', vendor }, mirrorPaths: !folder });
      const appended = await adapter.appendTasks(job.id, tasks);
      const final = options.detach ? ((await adapter.getJob(job.id)) ?? job) : await waitForEnd(adapter, job, Boolean(options.json));
      if (options.json) process.stdout.write(`${JSON.stringify({ job: final, added: appended.added.length, retried: appended.retried.length })}\n`);
      else process.stdout.write(`${final.name} (${final.id}): ${final.status}, ${appended.added.length} added, ${appended.retried.length} retried\n`);
      if (final.status === 'failed') process.exitCode = 1;
    });
  });
}
