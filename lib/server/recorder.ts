/**
 * One place that writes what happened: into the server database (durable,
 * listed by the API), onto the live feed (the dashboard) and into the
 * structured log (stderr), so the three never disagree.
 */
import type { Logger } from '../core/log.ts';
import type { LiveFeed } from './live.ts';
import type { HookRecord, LogEntry, NewHookRecord, NewLogEntry, NewPublishRecord, PublishRecord, ServerStore } from './store.ts';

export interface Recorder {
  log(entry: NewLogEntry): LogEntry;
  hook(record: NewHookRecord): HookRecord;
  publish(record: NewPublishRecord): PublishRecord;
}

export function createRecorder(store: ServerStore, live: LiveFeed, logger: Logger): Recorder {
  const log = (entry: NewLogEntry): LogEntry => {
    const saved = store.log(entry);
    live.emit({ kind: 'log', entry: saved });
    logger[entry.level](entry.message, { type: entry.type, ...(entry.jobId ? { jobId: entry.jobId } : {}), ...(entry.vendor ? { vendor: entry.vendor } : {}) });
    return saved;
  };
  return {
    log,
    hook(record) {
      const saved = store.recordHook(record);
      live.emit({ kind: 'hook', hook: saved });
      log({
        type: 'hook.result',
        level: record.ok ? 'info' : 'error',
        message: record.ok ? `Hook ${record.hook} (${record.on}) finished in ${record.durationMs} ms` : `Hook ${record.hook} (${record.on}) failed: ${record.error?.message ?? 'unknown error'}`,
        jobId: record.jobId,
        data: { hook: record.hook, ...(record.error ? { error: record.error } : {}) },
      });
      return saved;
    },
    publish(record) {
      const saved = store.recordPublish(record);
      live.emit({ kind: 'publish', publish: saved });
      log({
        type: 'publish',
        level: record.ok ? 'info' : 'error',
        message: record.ok ? `Published ${record.folder} as version ${record.version ?? '?'}` : `Publishing ${record.folder} failed: ${record.errors.join('; ')}`,
        jobId: record.jobId,
        vendor: record.vendor,
      });
      return saved;
    },
  };
}
