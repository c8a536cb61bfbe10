/**
 * Task info: shows the selected tasks' resolved context — frame range with handles,
 * fps, resolution, colour space, assignees, notes — after a form asking which
 * details to include. The smallest action that goes the whole way: tracker UI →
 * runtime → tracker → message.
 */
import { defineAction, failure, field, form, formValues, message, type TaskContext } from 'handoff/sdk';

const DETAILS = [
  { value: 'frames', label: 'Frame range with handles' },
  { value: 'fps', label: 'Frame rate' },
  { value: 'resolution', label: 'Resolution' },
  { value: 'colour', label: 'Colour space' },
  { value: 'assignees', label: 'Assignees' },
  { value: 'notes', label: 'Notes' },
];
const DEFAULT = ['frames', 'fps', 'resolution', 'assignees'];

function describe(c: TaskContext, include: Set<string>): string {
  const parts: string[] = [];
  const range = c.shot?.frameRange;
  if (include.has('frames')) {
    parts.push(
      range
        ? `frames ${range.start}-${range.end} (${range.start - range.handles.head}-${range.end + range.handles.tail} with handles ${range.handles.head}+${range.handles.tail})`
        : 'no frame range',
    );
  }
  if (include.has('fps')) parts.push(`${c.fps} fps`);
  if (include.has('resolution')) {
    const r = c.project.resolution;
    parts.push(r ? `${r.width}x${r.height}` : 'no resolution');
  }
  if (include.has('colour')) parts.push(c.project.colourSpace ?? 'no colour space');
  if (include.has('assignees')) {
    parts.push(c.task.assignees.length ? `assigned to ${c.task.assignees.map((u) => u.name).join(', ')}` : 'unassigned');
  }
  if (include.has('notes')) {
    const last = c.notes.at(-1);
    parts.push(last ? `${c.notes.length} note(s), latest: "${last.content}"` : 'no notes');
  }
  return `${c.path.join('/')}: ${parts.join(', ')}`;
}

export default defineAction({
  id: 'task-info',
  label: 'Task info',
  description: 'Shows frame range, fps, resolution and assignees of the selected tasks',
  discover: ({ selection }) => selection.length > 0 && selection.every((s) => s.entityType === 'task'),
  async launch({ selection, tracker, values }) {
    if (!values) {
      return form(
        'Task info',
        [field.label(`Details of ${selection.length} selected task(s).`), field.choices('include', 'Include', DETAILS, DEFAULT)],
        'Show',
      );
    }
    const include = new Set(formValues(values).list('include'));
    if (!include.size) return failure('Choose at least one detail to show.');
    const results = await tracker.resolveTasks(selection.map((s) => s.entityId));
    const lines = results.map((r) => (r.ok ? describe(r.context, include) : `${r.id}: ${r.message}`));
    const text = lines.join('\n');
    return results.every((r) => r.ok) ? message(text) : failure(text);
  },
});
