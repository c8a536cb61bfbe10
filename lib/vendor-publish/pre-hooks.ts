/**
 * Studio `publish.pre` hooks have the last word on the verdicts. A hook gets
 * the request and the verdicts, and may answer per folder the way existing
 * pre-publish scripts do: `{ files: [{ id | filename, can_publish, rejected,
 * warning, info }] }`. A hook that fails rejects every folder: the check
 * could not run, so nothing is uploaded.
 */
import type { HookRunResult, HookRuntime } from '../hooks/index.ts';
import type { FolderVerdict, PrepublishRequest, Verdict, VerdictMessage } from './types.ts';

interface HookAnswer {
  id?: string;
  filename?: string;
  can_publish?: boolean;
  rejected?: boolean;
  warning?: string;
  info?: string;
}

function answersOf(result: HookRunResult): HookAnswer[] {
  if (!result.ok) return [];
  const files = (result.output as { files?: unknown } | null | undefined)?.files;
  return Array.isArray(files) ? files.filter((f): f is HookAnswer => typeof f === 'object' && f !== null) : [];
}

function verdictOf(messages: VerdictMessage[]): Verdict {
  return messages.some((m) => m.level === 'error') ? 'rejected' : messages.some((m) => m.level === 'warning') ? 'warning' : 'can_publish';
}

function messagesFrom(result: HookRunResult, folder: FolderVerdict): VerdictMessage[] {
  const source = `hook:${result.hook}`;
  if (!result.ok) return [{ level: 'error', title: 'Studio check could not run', message: result.error.message, hint: 'Ask the studio to look at its publish.pre hook; try again later.', source }];
  const answer = answersOf(result).find((a) => (a.id !== undefined && a.id === folder.id) || a.filename === folder.filename);
  if (!answer) return [];
  const out: VerdictMessage[] = [];
  if (answer.rejected === true || answer.can_publish === false) {
    out.push({ level: 'error', title: 'Refused by the studio', message: answer.warning ?? answer.info ?? `${folder.filename} cannot be published.`, source });
  } else if (answer.warning) out.push({ level: 'warning', title: 'Studio warning', message: answer.warning, source });
  if (answer.info && !(answer.rejected === true || answer.can_publish === false)) out.push({ level: 'info', title: 'Studio note', message: answer.info, source });
  return out;
}

export async function applyPrepublishHooks(hooks: HookRuntime, request: PrepublishRequest, folders: FolderVerdict[]): Promise<FolderVerdict[]> {
  if (!hooks.list('publish.pre').length) return folders;
  const input = { hook: 'publish.pre', user: request.user, vendor: request.vendor.code, files: request.files, verdicts: folders };
  const results = await hooks.run('publish.pre', input);
  return folders.map((folder) => {
    const messages = [...folder.messages, ...results.flatMap((r) => messagesFrom(r, folder))];
    const verdict = verdictOf(messages);
    const publishable = verdict !== 'rejected';
    const { destination, landing, ...rest } = folder;
    return { ...rest, messages, verdict, can_publish: publishable, ...(publishable && destination ? { destination, landing } : {}) };
  });
}
