/**
 * Empty folders and empty files are refused (a render or copy that failed); a frame far smaller
 * than the others of its sequence is flagged as possibly truncated.
 */
import { definePublishPlugin, findSequences, FOLDER_FAMILY, groupByFolder, Order, PublishValidationError, z } from 'handoff/sdk';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export default definePublishPlugin({
  id: 'validate-file-sizes',
  order: Order.Validate + 0.07,
  label: 'No empty or truncated files',
  appliesTo: [FOLDER_FAMILY],
  needs: ['folder'],
  settings: z.object({
    /** A frame smaller than this share of its sequence's median size is flagged. */
    truncatedBelow: z.number().min(0).max(1).default(0.1),
  }),
  process({ instance, settings, log }) {
    const { folder } = instance.data;
    if (!folder.files.length) {
      throw new PublishValidationError(`${instance.name} holds no files to publish.`, {
        title: 'Empty folder',
        hint: 'Put the rendered files in the folder and run the publish again (junk such as .DS_Store does not count).',
        path: instance.name,
      });
    }
    const empty = folder.files.filter((f) => f.size === 0).map((f) => f.path);
    const sizes = new Map(folder.files.map((f) => [f.path, f.size]));
    for (const [dir, names] of groupByFolder(folder.files)) {
      for (const seq of findSequences(names).sequences) {
        if (seq.files.length < 3) continue;
        const paths = seq.files.map((n) => (dir ? `${dir}/${n}` : n));
        const typical = median(paths.map((p) => sizes.get(p) ?? 0));
        const small = paths.filter((p) => (sizes.get(p) ?? 0) > 0 && (sizes.get(p) ?? 0) < typical * settings.truncatedBelow);
        if (small.length) log.warn(`possibly truncated (far smaller than the other frames): ${small.slice(0, 10).join(', ')}${small.length > 10 ? ' …' : ''}`);
      }
    }
    if (!empty.length) return;
    throw new PublishValidationError(`${instance.name} has ${empty.length} empty file(s): ${empty.slice(0, 10).join(', ')}${empty.length > 10 ? ' …' : ''}.`, {
      title: 'Empty files',
      hint: 'Render or copy these files again; an empty file is a failed write.',
      path: empty[0],
    });
  },
});
