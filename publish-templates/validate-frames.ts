/**
 * Image sequences must cover the shot's range (with handles unless turned
 * off), have no holes, and write every frame with the same padding. Works on
 * the listing alone, so it runs before any byte moves.
 */
import { definePublishPlugin, findSequences, FOLDER_FAMILY, groupByFolder, Order, PublishValidationError, z } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'validate-frames',
  order: Order.Validate + 0.05,
  label: 'Frame completeness',
  appliesTo: [FOLDER_FAMILY],
  needs: ['folder'],
  settings: z.object({
    includeHandles: z.boolean().default(true),
    imageExtensions: z.array(z.string()).default(['exr', 'dpx', 'png', 'tif', 'tiff', 'jpg', 'jpeg', 'tga']),
  }),
  process({ instance, settings, log }) {
    const { folder } = instance.data;
    const images = new Set(settings.imageExtensions.map((e) => e.toLowerCase()));
    const range = folder.task?.shot?.frameRange;
    const want = range && {
      first: range.start - (settings.includeHandles ? range.handles.head : 0),
      last: range.end + (settings.includeHandles ? range.handles.tail : 0),
    };
    const missingLines: string[] = [];
    const paddingLines: string[] = [];
    let found = 0;
    for (const [dir, names] of groupByFolder(folder.files)) {
      const imageNames = names.filter((n) => images.has(n.slice(n.lastIndexOf('.') + 1).toLowerCase()));
      const { sequences, issues } = findSequences(imageNames);
      const at = (text: string) => (dir ? `${dir}/${text}` : text);
      for (const issue of issues) paddingLines.push(`${at(`${issue.head}*${issue.tail}`)} mixes frame paddings ${issue.paddings.join(' and ')}`);
      // Parts split only by padding are one sequence for completeness.
      const byName = new Map<string, typeof sequences>();
      for (const seq of sequences) byName.set(seq.head + '\0' + seq.tail, [...(byName.get(seq.head + '\0' + seq.tail) ?? []), seq]);
      for (const parts of byName.values()) {
        found++;
        const frames = parts.slice(1).reduce((all, seq) => all.union(seq.frames), parts[0]!.frames);
        const label = at(parts[0]!.pattern('#'));
        const missing = frames.missing(want?.first ?? frames.first, want?.last ?? frames.last);
        if (missing.size) missingLines.push(`${label} lacks frame${missing.size > 1 ? 's' : ''} ${missing.describe()}`);
        if (want && (frames.first! < want.first || frames.last! > want.last)) {
          log.warn(`${label} has frames outside ${want.first}-${want.last} (${frames.describe()}); they are published as they are`);
        }
      }
    }
    if (!found) log.warn(`no image sequence in ${instance.name}; nothing to check frames of`);
    const problems = [...missingLines, ...paddingLines];
    if (!problems.length) return;
    const titles = [missingLines.length ? 'Frames missing' : '', paddingLines.length ? 'Frame padding inconsistent' : ''];
    throw new PublishValidationError(`${instance.name}: ${problems.join('; ')}.`, {
      title: titles.filter(Boolean).join(', '),
      hint: want
        ? `Deliver every frame ${want.first}-${want.last}${settings.includeHandles ? ' (handles included)' : ''}, each written with the same number of digits.`
        : 'Deliver every frame of the sequence, each written with the same number of digits.',
      path: instance.name,
    });
  },
});
