/**
 * Jobs and their tasks for people: list by queue and status, one job with its
 * tasks and hook results, and the controls (pause, resume, priority, retry).
 */
import { Router, type Request } from 'express';
import { HandoffError } from '../../core/errors.ts';
import type { JobStatus } from '../../transfer/types.ts';
import type { ApiContext } from './context.ts';

const STATUSES: readonly JobStatus[] = ['init', 'waiting', 'running', 'paused', 'failed', 'aborted', 'done'];

function statusFilter(value: unknown): JobStatus[] | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const asked = value.split(',');
  const unknown = asked.filter((s) => !STATUSES.includes(s as JobStatus));
  if (unknown.length) {
    throw new HandoffError('SERVER_REQUEST_INVALID', `Unknown job status ${unknown.join(', ')}`, {
      details: { unknown, known: STATUSES },
      hint: `Filter by ${STATUSES.join(', ')}.`,
    });
  }
  return asked as JobStatus[];
}

function priorityOf(req: Request): number {
  const value = (req.body as { priority?: unknown } | undefined)?.priority;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 1000) return value;
  throw new HandoffError('SERVER_REQUEST_INVALID', `priority must be a whole number from 0 to 1000, got ${JSON.stringify(value)}`, {
    details: { priority: value },
    hint: 'Send {"priority": 500}; add "taskIds" to change tasks (1..1000) instead of the job.',
  });
}

function taskIdsOf(req: Request): string[] | undefined {
  const value = (req.body as { taskIds?: unknown } | undefined)?.taskIds;
  if (value === undefined) return undefined;
  if (Array.isArray(value) && value.every((id) => typeof id === 'string')) return value as string[];
  throw new HandoffError('SERVER_REQUEST_INVALID', 'taskIds must be a list of task ids', { hint: 'Send {"taskIds": ["..."]} or leave it out.' });
}

export function jobsRouter(ctx: ApiContext): Router {
  const { transfer } = ctx;
  const router = Router();
  const requireJob = async (id: string) => {
    const job = await transfer.getJob(id);
    if (!job) throw new HandoffError('SERVER_JOB_NOT_FOUND', `No job with id ${id}`, { details: { id }, hint: 'List jobs (GET /api/jobs) for the ids.' });
    return job;
  };

  router.get('/jobs', async (req, res) => {
    const jobs = await transfer.listJobs({ status: statusFilter(req.query.status), vendor: typeof req.query.vendor === 'string' ? req.query.vendor : undefined });
    const queue = typeof req.query.queue === 'string' ? req.query.queue : undefined;
    res.json({ jobs: queue ? jobs.filter((j) => j.queue === queue) : jobs });
  });
  router.get('/jobs/:id', async (req, res) => {
    const job = await requireJob(req.params.id);
    res.json({ job, tasks: await transfer.listTasks(job.id), hooks: ctx.store.listHooks(job.id) });
  });
  router.get('/jobs/:id/tasks', async (req, res) => {
    res.json({ tasks: await transfer.listTasks((await requireJob(req.params.id)).id) });
  });
  router.post('/jobs/:id/pause', async (req, res) => {
    const job = await transfer.pause((await requireJob(req.params.id)).id);
    ctx.recorder.log({ type: 'job.control', level: 'info', message: `Job "${job.name}" paused from the API`, jobId: job.id });
    res.json({ job });
  });
  router.post('/jobs/:id/resume', async (req, res) => {
    const job = await transfer.resume((await requireJob(req.params.id)).id);
    ctx.recorder.log({ type: 'job.control', level: 'info', message: `Job "${job.name}" resumed from the API`, jobId: job.id });
    res.json({ job });
  });
  router.post('/jobs/:id/priority', async (req, res) => {
    const job = await requireJob(req.params.id);
    const priority = priorityOf(req);
    const taskIds = taskIdsOf(req);
    await transfer.prioritise(job.id, priority, taskIds);
    ctx.recorder.log({
      type: 'job.control',
      level: 'info',
      message: taskIds ? `Priority of ${taskIds.length} task(s) in "${job.name}" set to ${priority}` : `Priority of job "${job.name}" set to ${priority}`,
      jobId: job.id,
    });
    res.json({ job: await requireJob(job.id), tasks: await transfer.listTasks(job.id) });
  });
  router.post('/jobs/:id/retry', async (req, res) => {
    const job = await requireJob(req.params.id);
    const tasks = await transfer.retry(job.id, taskIdsOf(req));
    ctx.recorder.log({ type: 'job.control', level: 'info', message: `Retrying ${tasks.length} task(s) of "${job.name}"`, jobId: job.id });
    res.json({ retried: tasks, job: await requireJob(job.id) });
  });
  return router;
}
