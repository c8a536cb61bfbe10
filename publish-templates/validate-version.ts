/** The folder's version must be the next one of its asset; otherwise say which versions exist. */
import { definePublishPlugin, FOLDER_FAMILY, folderOf, Order, PublishValidationError } from 'handoff/sdk';

const v = (n: number) => `v${String(n).padStart(3, '0')}`;

export default definePublishPlugin({
  id: 'validate-version',
  order: Order.Validate + 0.04,
  label: 'Version is the next one',
  appliesTo: [FOLDER_FAMILY],
  async process({ context, instance }) {
    const folder = folderOf(instance);
    if (!instance || !folder?.task || !folder.asset || folder.fields?.version === undefined) return;
    const wanted = Number(folder.fields.version);
    const existing = (await context.services.tracker!.listVersions(folder.task.task.id, folder.asset)).map((x) => x.version);
    const next = Math.max(0, ...existing) + 1;
    if (wanted === next) {
      folder.version = wanted;
      return;
    }
    const have = existing.length ? `${folder.asset} has ${existing.map(v).join(', ')}` : `${folder.asset} has no versions yet`;
    const rename = instance.name.replace(new RegExp(`${folder.fields.version}(?!.*\\d)`), String(next).padStart(folder.fields.version.length, '0'));
    throw new PublishValidationError(
      existing.includes(wanted)
        ? `${v(wanted)} is already published: ${have}. The next version is ${v(next)}.`
        : `${v(wanted)} skips versions: ${have}. The next version is ${v(next)}.`,
      { title: existing.includes(wanted) ? 'Version already exists' : 'Version out of order', hint: `Rename the folder to ${rename}.`, path: instance.name },
    );
  },
});
