/** `handoff jobs list|show|pause|resume|priority|retry|exclude`: read and steer transfer jobs. */
import type { Command } from 'commander';
import { HandoffError } from '../../core/errors.ts';
import type { Job, JobStatus, Task, TransferAdapter } from '../../transfer/types.ts';
import { cliAction, type CommandContext } from '../action.ts';
import { formatBytes } from '../format.ts';
import { addClientOptions, progressLine, withTransfer, type ClientOptions } from '../transfer/client.ts';

interface JobsOptions extends ClientOptions {
  status?: string;
  task?: string[];
}

/** A job by id, else the unfinished job with that name, else the latest one with it. */
async function resolveJob(adapter: TransferAdapter, ref: string): Promise<Job> {
  const job = (await adapter.getJob(ref)) ?? (await adapter.findJob(ref)) ?? (await adapter.listJobs({ name: ref }))[0];
  if (!job) throw new HandoffError('TRANSFER_JOB_NOT_FOUND', `No transfer job with id or name ${ref}`, { details: { ref }, hint: 'See `handoff jobs list`.' });
  return job;
}

const jobLine = (job: Job): string => `${job.id}  ${job.name}  ${progressLine(job)}`;
const taskLine = (task: Task): string =>
  [
    `  ${task.id}  ${task.status.padEnd(9)} p${task.priority}  ${task.source} -> ${task.destination}  ${formatBytes(task.bytesDone)}/${formatBytes(task.bytesTotal)}${task.lastError ? `  ${task.lastError.code}: ${task.lastError.message}` : ''}`,
    // Files the vendor had changed since HQ sent them: what was done with each.
    ...(task.vendorChanged ?? []).map((file) => `    changed at the vendor: ${file.path} (${file.action === 'rename' ? `set aside as ${file.asideAs ?? '?'}` : file.action === 'keep' ? 'kept, not sent' : 'overwritten'})`),
  ].join('\n');

/** A jobs subcommand: runs `body` with the adapter and prints its result (JSON envelope or text). */
function jobsAction<A extends unknown[], T>(body: (adapter: TransferAdapter, options: JobsOptions, ...args: A) => Promise<T>, text: (result: T) => string) {
  return cliAction(async (ctx: CommandContext, ...rest: [...A, JobsOptions]) => {
    const options = rest[rest.length - 1] as JobsOptions;
    const args = rest.slice(0, -1) as A;
    const result = await withTransfer(ctx, options, false, (adapter) => body(adapter, options, ...args));
    ctx.result(result, text);
  });
}

export function register(program: Command): void {
  const jobs = program.command('jobs').description('list and steer transfer jobs');
  const sub = (name: string, description: string) => addClientOptions(jobs.command(name).description(description));
  const taskOption = (command: Command) => command.option('--task <id>', 'a task id (repeatable)', (value: string, all: string[] = []) => [...all, value]);

  sub('list', 'list jobs')
    .option('--status <list>', 'only these statuses, comma separated')
    .action(
      jobsAction(
        (adapter, options) => adapter.listJobs({ status: options.status ? (options.status.split(',') as JobStatus[]) : undefined }),
        (list) => (list.length ? list.map(jobLine).join('\n') : 'no jobs'),
      ),
    );
  sub('show', 'show a job and its tasks')
    .argument('<job>', 'job id or name')
    .action(
      jobsAction(
        async (adapter, _options, ref: string) => {
          const job = await resolveJob(adapter, ref);
          return { job, tasks: await adapter.listTasks(job.id) };
        },
        ({ job, tasks }) => [jobLine(job), ...tasks.map(taskLine)].join('\n'),
      ),
    );
  for (const verb of ['pause', 'resume'] as const) {
    sub(verb, `${verb} a job`)
      .argument('<job>', 'job id or name')
      .action(jobsAction(async (adapter, _options, ref: string) => adapter[verb]((await resolveJob(adapter, ref)).id), jobLine));
  }
  taskOption(sub('priority', 'set the job priority (0..1000), or with --task the tasks priority (1..1000)'))
    .argument('<job>', 'job id or name')
    .argument('<priority>', 'the new priority')
    .action(
      jobsAction(
        async (adapter, options, ref: string, priority: string) => {
          const job = await resolveJob(adapter, ref);
          await adapter.prioritise(job.id, Number(priority), options.task);
          return { job: job.id, priority: Number(priority), tasks: options.task ?? [] };
        },
        (r) => `priority ${r.priority} set`,
      ),
    );
  taskOption(sub('retry', 'retry failed tasks (all failed ones without --task)'))
    .argument('<job>', 'job id or name')
    .action(
      jobsAction(
        async (adapter, options, ref: string) => adapter.retry((await resolveJob(adapter, ref)).id, options.task),
        (tasks) => `${tasks.length} task(s) queued again`,
      ),
    );
  taskOption(sub('exclude', 'exclude tasks; they stay for audit and never run'))
    .argument('<job>', 'job id or name')
    .action(
      jobsAction(
        async (adapter, options, ref: string) => {
          if (!options.task?.length) throw new HandoffError('CLI_OPTION_INVALID', 'exclude needs at least one --task <id>', { hint: 'Find task ids with `handoff jobs show <job>`.' });
          return adapter.exclude((await resolveJob(adapter, ref)).id, options.task);
        },
        (tasks) => tasks.map(taskLine).join('\n'),
      ),
    );
}
