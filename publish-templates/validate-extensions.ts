/** Only the file types a task type delivers are published (per task type, with a default list). */
import { definePublishPlugin, FOLDER_FAMILY, Order, PublishValidationError, z } from 'handoff/sdk';

const SHOWN_TYPES = 5;

export default definePublishPlugin({
  id: 'validate-extensions',
  order: Order.Validate + 0.06,
  label: 'File types fit the task',
  appliesTo: [FOLDER_FAMILY],
  needs: ['folder'],
  settings: z.object({
    /** Allowed extensions by lower-case task type; `default` for the others. */
    allowed: z.record(z.string(), z.array(z.string())).default({ default: ['exr', 'dpx', 'mov', 'nk'], cleanup: ['exr'], roto: ['exr', 'nk'] }),
  }),
  process({ instance, settings }) {
    const { folder } = instance.data;
    if (!folder.task) return;
    const type = folder.task.task.type.toLowerCase();
    const list = settings.allowed[type] ?? settings.allowed.default ?? [];
    const allowed = new Set(list.map((e) => e.toLowerCase().replace(/^\./, '')));
    const byExt = new Map<string, string[]>();
    for (const file of folder.files) {
      const base = file.path.slice(file.path.lastIndexOf('/') + 1);
      const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1).toLowerCase() : '';
      if (allowed.has(ext)) continue;
      byExt.set(ext, [...(byExt.get(ext) ?? []), file.path]);
    }
    if (!byExt.size) return;
    // The most common types first, a few of them: a wrong folder can hold hundreds.
    const types = [...byExt].sort((a, b) => b[1].length - a[1].length);
    const found = types.slice(0, SHOWN_TYPES).map(([ext, files]) => `${ext ? `.${ext}` : 'no extension'} (${files.length}: ${files.slice(0, 3).join(', ')}${files.length > 3 ? ' …' : ''})`);
    const more = types.length > SHOWN_TYPES ? ` and ${types.length - SHOWN_TYPES} more types` : '';
    throw new PublishValidationError(`${instance.name} holds file types a ${type} task does not deliver: ${found.join('; ')}${more}.`, {
      title: 'File type not allowed',
      hint: `A ${type} publish holds only ${[...allowed].map((e) => `.${e}`).join(', ') || 'nothing'}; remove the other files or send them outside the publish.`,
      path: instance.name,
    });
  },
});
