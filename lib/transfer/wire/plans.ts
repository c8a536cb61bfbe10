/**
 * Checks an agent's listing before HQ uses it: every entry must belong to a
 * request, sit under that request's source, and have sane numbers. Destinations
 * are rebuilt at HQ from the request, never taken from the agent.
 */
import { HandoffError } from '../../core/errors.ts';
import { toSafeRelative } from '../../core/paths/index.ts';
import type { FilePlan, ListRequest } from '../transport.ts';

export function validatePlans(input: unknown, requests: ListRequest[]): FilePlan[] {
  if (!Array.isArray(input)) throw invalid('the listing is not a list');
  const byTask = new Map<string, { source: string; destination: string }[]>();
  for (const request of requests) {
    const entry = { source: toSafeRelative(request.source), destination: toSafeRelative(request.destination) };
    byTask.set(request.taskId, [...(byTask.get(request.taskId) ?? []), entry]);
  }
  return input.map((raw: unknown) => {
    const plan = raw as Partial<FilePlan>;
    if (typeof plan !== 'object' || plan === null) throw invalid('an entry is not an object');
    const { taskId, size, mtimeMs } = plan;
    if (typeof taskId !== 'string' || !byTask.has(taskId)) throw invalid(`unknown task ${String(taskId)}`);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw invalid('a size is not a byte count');
    if (typeof mtimeMs !== 'number' || !Number.isFinite(mtimeMs)) throw invalid('an mtime is not a number');
    const source = toSafeRelative(String(plan.source));
    for (const request of byTask.get(taskId)!) {
      if (source === request.source) return { taskId, source, destination: request.destination, size, mtimeMs };
      if (source.startsWith(`${request.source}/`)) {
        return { taskId, source, destination: `${request.destination}${source.slice(request.source.length)}`, size, mtimeMs };
      }
    }
    throw invalid(`${source} is outside the requested sources`);
  });
}

function invalid(reason: string): HandoffError {
  return new HandoffError('WIRE_PROTOCOL', `The agent sent an invalid listing: ${reason}`, {
    details: { reason },
    hint: 'Make sure HQ and the agent run the same handoff version.',
  });
}
