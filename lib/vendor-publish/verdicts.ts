/** Folds a pre-publish run into one verdict per folder: can_publish, warning or rejected. */
import type { PluginResult, PublishInstance, PublishReport } from '../publish/index.ts';
import type { FolderData } from './folder-data.ts';
import { identOf } from './folder-data.ts';
import type { FolderVerdict, Verdict, VerdictMessage } from './types.ts';

function messagesOf(result: PluginResult): VerdictMessage[] {
  if (result.status === 'skipped') return [];
  return result.messages.map((m) => ({
    level: m.level,
    title: m.title ?? result.label,
    message: m.message,
    ...(m.hint ? { hint: m.hint } : {}),
    source: result.pluginId,
  }));
}

export function verdictsOf(
  report: PublishReport,
  instances: PublishInstance[],
  folderOf: (instance: PublishInstance) => FolderData | undefined,
): FolderVerdict[] {
  // A plugin that runs once and fails (not per folder) stops every folder.
  const shared = report.results.filter((r) => r.instanceId === undefined && r.status === 'error').flatMap(messagesOf);
  return instances.map((instance) => {
    const folder = folderOf(instance);
    const messages = [...shared, ...report.results.filter((r) => r.instanceId === instance.id).flatMap(messagesOf)];
    const verdict: Verdict = messages.some((m) => m.level === 'error')
      ? 'rejected'
      : messages.some((m) => m.level === 'warning') ? 'warning' : 'can_publish';
    const files = folder?.files ?? [];
    const publishable = verdict !== 'rejected';
    return {
      ...(folder?.entry.id !== undefined ? { id: folder.entry.id } : {}),
      filename: instance.name,
      ident: identOf(folder?.fields, instance.name),
      verdict,
      can_publish: publishable,
      messages,
      ...(folder?.task ? { taskId: folder.task.task.id } : {}),
      ...(folder?.asset ? { asset: folder.asset } : {}),
      ...(folder?.version !== undefined ? { version: folder.version } : {}),
      ...(publishable && folder?.destination ? { destination: folder.destination, landing: folder.landing } : {}),
      ...(folder?.ignored.length ? { ignored: folder.ignored } : {}),
      files: files.length,
      size: files.reduce((sum, f) => sum + f.size, 0),
    };
  });
}
