/** What happened, for people: the event log, hook results and recent publishes. */
import { Router, type Request } from 'express';
import type { ApiContext } from './context.ts';

const numberParam = (req: Request, name: string): number | undefined => {
  const value = Number(req.query[name]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
};
const stringParam = (req: Request, name: string): string | undefined => (typeof req.query[name] === 'string' ? req.query[name] : undefined);

export function recordsRouter(ctx: ApiContext): Router {
  const router = Router();
  router.get('/events', (req, res) => {
    const jobId = stringParam(req, 'jobId');
    res.json({ events: ctx.store.listLog({ limit: numberParam(req, 'limit'), before: numberParam(req, 'before'), ...(jobId ? { jobId } : {}) }) });
  });
  router.get('/hooks', (req, res) => res.json({ hooks: ctx.store.listHooks(stringParam(req, 'jobId'), numberParam(req, 'limit')) }));
  router.get('/publishes', (req, res) => res.json({ publishes: ctx.store.listPublishes(numberParam(req, 'limit')) }));
  return router;
}
