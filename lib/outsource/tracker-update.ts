/**
 * What Outsource changes in the tracker, both optional and idempotent: the
 * task's status, and one note per task and job listing the package. A re-run
 * finds its note by the first line and adds no second one.
 */
import { toHandoffError } from '../core/errors.ts';
import type { TaskContext, Tracker } from '../tracker/types.ts';
import type { CollectedSource } from './collect.ts';

export interface TrackerUpdate {
  context: TaskContext;
  vendorName: string;
  job: string;
  status: string | null;
  note: boolean;
  coordinatorNote?: string | undefined;
  description: string;
  sources: readonly CollectedSource[];
  authorId?: string | undefined;
}

export interface TrackerUpdateResult {
  statusSet: boolean;
  noteAdded: boolean;
  warnings: string[];
}

export function noteHeader(vendorName: string, job: string): string {
  return `Outsourced to ${vendorName} in '${job}'`;
}

/** Notes Outsource wrote itself (left out of task descriptions). */
export function isOutsourceNote(content: string): boolean {
  return /^Outsourced to .* in '.*'$/.test(content.split('\n')[0] ?? '');
}

export function noteText(update: TrackerUpdate): string {
  const lines = [noteHeader(update.vendorName, update.job)];
  for (const s of update.sources) {
    const sequences = s.sequences.map((q) => `${q.pattern} ${q.frames}`).join(', ');
    lines.push(`- ${s.name}: ${s.folder} (${s.files.length} file(s)${sequences ? `; ${sequences}` : ''})`);
  }
  lines.push(`- description: ${update.description}`);
  if (update.coordinatorNote) lines.push('', update.coordinatorNote);
  return lines.join('\n');
}

export async function updateTracker(tracker: Tracker, update: TrackerUpdate): Promise<TrackerUpdateResult> {
  const result: TrackerUpdateResult = { statusSet: false, noteAdded: false, warnings: [] };
  const taskId = update.context.task.id;
  const where = update.context.path.join('/');
  if (update.status !== null && update.context.task.status.name !== update.status) {
    try {
      await tracker.setTaskStatus(taskId, update.status);
      result.statusSet = true;
    } catch (err) {
      result.warnings.push(`${where}: status not set: ${toHandoffError(err, 'OUTSOURCE_TRACKER_UPDATE_FAILED').message}`);
    }
  }
  if (update.note) {
    try {
      const header = noteHeader(update.vendorName, update.job);
      const notes = await tracker.listNotes({ kind: 'task', id: taskId });
      if (!notes.some((n) => n.content.split('\n')[0] === header)) {
        await tracker.addNote({ kind: 'task', id: taskId }, noteText(update), update.authorId);
        result.noteAdded = true;
      }
    } catch (err) {
      result.warnings.push(`${where}: note not added: ${toHandoffError(err, 'OUTSOURCE_TRACKER_UPDATE_FAILED').message}`);
    }
  }
  return result;
}
