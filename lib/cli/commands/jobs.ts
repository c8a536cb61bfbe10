/** `handoff jobs list|show|pause|resume|priority|retry|exclude`: read and steer transfer jobs. */
import type { Command } from 'commander';
import { HandoffError } from '../../core/errors.ts';
import type { Job, JobStatus, Task, TransferAdapter } from '../../transfer/types.ts';
import { addClientOptions, withTransfer, type ClientOptions } from '../transfer/client.ts';
import { formatBytes, progressLine } from '../transfer/progress.ts';

interface JobsOptions extends ClientOptions {
  status?: string;
  task?: string[];
}

const print = (options: ClientOptions, value: unknown, text: () => string): void => {
  process.stdout.write(options.json ? `${JSON.stringify(value)}\n` : `${text()}\n`);
};

/** A job by id, else the unfinished job with that name, else the latest one with it. */
async function resolveJob(adapter: TransferAdapter, ref: string): Promise<Job> {
  const job = (await adapter.getJob(ref)) ?? (await adapter.findJob(ref)) ?? (await adapter.listJobs({ name: ref }))[0];
  if (!job) throw new HandoffError('TRANSFER_JOB_NOT_FOUND', `No transfer job with id or name ${ref}`, { details: { ref }, hint: 'See `handoff jobs list`.' });
  return job;
}

const jobLine = (job: Job): string => `${job.id}  ${job.name}  ${progressLine(job)}`;
const taskLine = (task: Task): string =>
  `  ${task.id}  ${task.status.padEnd(9)} p${task.priority}  ${task.source} -> ${task.destination}  ${formatBytes(task.bytesDone)}/${formatBytes(task.bytesTotal)}${task.lastError ? `  ${task.lastError.code}: ${task.lastError.message}` : ''}`;

export function register(program: Command): void {
  const jobs = program.command('jobs').description('list and steer transfer jobs');
  const sub = (name: string, description: string) => addClientOptions(jobs.command(name).description(description));
  const taskOption = (command: Command) => command.option('--task <id>', 'a task id (repeatable)', (value: string, all: string[] = []) => [...all, value]);

  sub('list', 'list jobs')
    .option('--status <list>', 'only these statuses, comma separated')
    .action((options: JobsOptions) =>
      withTransfer(options, false, async (adapter) => {
        const list = await adapter.listJobs({ status: options.status ? (options.status.split(',') as JobStatus[]) : undefined });
        print(options, list, () => (list.length ? list.map(jobLine).join('\n') : 'no jobs'));
      }),
    );
  sub('show', 'show a job and its tasks')
    .argument('<job>', 'job id or name')
    .action((ref: string, options: JobsOptions) =>
      withTransfer(options, false, async (adapter) => {
        const job = await resolveJob(adapter, ref);
        const tasks = await adapter.listTasks(job.id);
        print(options, { job, tasks }, () => [jobLine(job), ...tasks.map(taskLine)].join('\n'));
      }),
    );
  for (const [name, verb] of [['pause', 'pause'], ['resume', 'resume']] as const) {
    sub(name, `${verb} a job`)
      .argument('<job>', 'job id or name')
      .action((ref: string, options: JobsOptions) =>
        withTransfer(options, false, async (adapter) => {
          const job = await adapter[verb]((await resolveJob(adapter, ref)).id);
          print(options, job, () => jobLine(job));
        }),
      );
  }
  taskOption(sub('priority', 'set the job priority (0..1000), or with --task the tasks priority (1..1000)'))
    .argument('<job>', 'job id or name')
    .argument('<priority>', 'the new priority')
    .action((ref: string, priority: string, options: JobsOptions) =>
      withTransfer(options, false, async (adapter) => {
        const job = await resolveJob(adapter, ref);
        await adapter.prioritise(job.id, Number(priority), options.task);
        print(options, { ok: true }, () => `priority ${priority} set`);
      }),
    );
  taskOption(sub('retry', 'retry failed tasks (all failed ones without --task)'))
    .argument('<job>', 'job id or name')
    .action((ref: string, options: JobsOptions) =>
      withTransfer(options, false, async (adapter) => {
        const tasks = await adapter.retry((await resolveJob(adapter, ref)).id, options.task);
        print(options, tasks, () => `${tasks.length} task(s) queued again`);
      }),
    );
  taskOption(sub('exclude', 'exclude tasks; they stay for audit and never run'))
    .argument('<job>', 'job id or name')
    .action((ref: string, options: JobsOptions) =>
      withTransfer(options, false, async (adapter) => {
        if (!options.task?.length) throw new HandoffError('CLI_OPTION_INVALID', 'exclude needs at least one --task <id>', { hint: 'Find task ids with `handoff jobs show <job>`.' });
        const tasks = await adapter.exclude((await resolveJob(adapter, ref)).id, options.task);
        print(options, tasks, () => tasks.map(taskLine).join('\n'));
      }),
    );
}
