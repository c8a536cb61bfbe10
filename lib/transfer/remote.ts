/**
 * The remote TransferAdapter: drives the transfer core of a running `handoff
 * serve` through its HTTP API (see http-api.ts), with events over SSE.
 */
import { HandoffError } from '../core/errors.ts';
import { reviveError, reviveEvent, reviveJob, reviveTask } from './json.ts';
import type { AppendResult, Grant, Job, JobEvent, Share, Task, TransferAdapter } from './types.ts';

export interface RemoteTransferOptions {
  /** Base URL of the transfer API, e.g. http://127.0.0.1:7700/api/transfer */
  url: string;
  token: string;
}

/** The JSON of an answer; an HTML page (a wrong URL, a proxy) gets a message that says so. */
function parseAnswer(text: string, response: Response, base: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch (cause) {
    const type = response.headers.get('content-type') ?? 'no content type';
    throw new HandoffError('TRANSFER_REMOTE_ANSWER_INVALID', `${base} answered ${response.status} with ${type}, not the transfer API's JSON`, {
      cause,
      details: { url: base, status: response.status, contentType: type },
      hint: 'Point --server (or HANDOFF_SERVER) at the HTTP address `handoff serve` prints, e.g. http://hq:8730.',
    });
  }
}

export function createRemoteTransfer(options: RemoteTransferOptions): TransferAdapter {
  for (const key of ['url', 'token'] as const) {
    if (!options[key]) throw new HandoffError('TRANSFER_OPTIONS_INVALID', `createRemoteTransfer needs \`${key}\``, { hint: 'Pass the server URL and its API token.' });
  }
  const base = options.url.replace(/\/+$/, '');
  const closing = new AbortController();

  async function call<T>(method: string, route: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${base}${route}`, {
        method,
        headers: { authorization: `Bearer ${options.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: signal ?? closing.signal,
      });
    } catch (err) {
      throw new HandoffError('TRANSFER_REMOTE_UNAVAILABLE', `Cannot reach the transfer API at ${base}`, {
        cause: err,
        retryable: true,
        details: { url: base },
        hint: 'Check that `handoff serve` is running and the URL is right.',
      });
    }
    const text = await response.text();
    const parsed = parseAnswer(text, response, base);
    if (!response.ok) throw reviveError((parsed as { error?: unknown } | undefined)?.error, `Transfer API answered ${response.status}`);
    return parsed as T;
  }
  const enc = encodeURIComponent;
  const job = (raw: unknown): Job => reviveJob(raw as never);
  const tasks = (raw: unknown): Task[] => (raw as never[]).map(reviveTask);

  async function* watch(watchOptions: { jobId?: string; signal?: AbortSignal } = {}): AsyncGenerator<JobEvent> {
    const signal = AbortSignal.any([closing.signal, ...(watchOptions.signal ? [watchOptions.signal] : [])]);
    const query = watchOptions.jobId ? `?jobId=${enc(watchOptions.jobId)}` : '';
    let response: Response;
    try {
      response = await fetch(`${base}/events${query}`, { headers: { authorization: `Bearer ${options.token}` }, signal });
    } catch (err) {
      if (signal.aborted) return;
      throw new HandoffError('TRANSFER_REMOTE_UNAVAILABLE', `Cannot watch events at ${base}`, { cause: err, retryable: true, hint: 'Check that `handoff serve` is running.' });
    }
    if (!response.ok || !response.body) throw reviveError(((await response.json().catch(() => ({}))) as { error?: unknown }).error, `Transfer API answered ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = frame.split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
          if (data) yield reviveEvent(JSON.parse(data) as Record<string, unknown>);
        }
      }
    } catch (err) {
      if (!signal.aborted) throw new HandoffError('TRANSFER_REMOTE_UNAVAILABLE', 'The event stream broke', { cause: err, retryable: true });
    }
  }

  return {
    name: 'remote',
    features: { liveEvents: true },
    findJob: async (name) => {
      const raw = await call<unknown>('GET', `/jobs/by-name/${enc(name)}`);
      return raw ? job(raw) : undefined;
    },
    ensureJob: async (spec) => job(await call('POST', '/jobs', spec)),
    getJob: async (id) => {
      try {
        return job(await call('GET', `/jobs/${enc(id)}`));
      } catch (err) {
        if (err instanceof HandoffError && err.code === 'TRANSFER_JOB_NOT_FOUND') return undefined;
        throw err;
      }
    },
    listJobs: async (filter = {}) => {
      const params = new URLSearchParams();
      if (filter.status?.length) params.set('status', filter.status.join(','));
      if (filter.name !== undefined) params.set('name', filter.name);
      if (filter.vendor !== undefined) params.set('vendor', filter.vendor);
      return (await call<unknown[]>('GET', `/jobs?${params}`)).map(job);
    },
    appendTasks: async (jobId, list) => {
      const raw = await call<{ added: never[]; retried: never[] }>('POST', `/jobs/${enc(jobId)}/tasks`, { tasks: list });
      return { added: tasks(raw.added), retried: tasks(raw.retried) } satisfies AppendResult;
    },
    listTasks: async (jobId) => tasks(await call('GET', `/jobs/${enc(jobId)}/tasks`)),
    pause: async (jobId) => job(await call('POST', `/jobs/${enc(jobId)}/pause`)),
    resume: async (jobId) => job(await call('POST', `/jobs/${enc(jobId)}/resume`)),
    prioritise: async (jobId, priority, taskIds) => {
      await call('POST', `/jobs/${enc(jobId)}/prioritise`, { priority, taskIds });
    },
    retry: async (jobId, taskIds) => tasks(await call('POST', `/jobs/${enc(jobId)}/retry`, { taskIds })),
    exclude: async (jobId, taskIds) => tasks(await call('POST', `/jobs/${enc(jobId)}/exclude`, { taskIds })),
    ensureShare: async (share) => call<Share>('PUT', `/shares/${enc(share.vendor)}`, { root: share.root, volume: share.volume }),
    getShare: async (vendor) => (await call<Share | null>('GET', `/shares/${enc(vendor)}`)) ?? undefined,
    grant: async (grant) => {
      await call('POST', '/grants', grant);
    },
    listGrants: async (vendor) => call<Grant[]>('GET', `/grants/${enc(vendor)}`),
    watch,
    close: async () => closing.abort(),
  };
}
