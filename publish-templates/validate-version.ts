/**
 * The folder's version must be the next one of its asset (policy `next`), or
 * any version above the latest (`increasing`: a gap is accepted with a
 * warning); otherwise say which versions exist.
 */
import { definePublishPlugin, FOLDER_FAMILY, Order, PublishValidationError, trackerOf, vendorPublishOf, z } from 'handoff/sdk';

const v = (n: number) => `v${String(n).padStart(3, '0')}`;

export default definePublishPlugin({
  id: 'validate-version',
  order: Order.Validate + 0.04,
  label: 'Version is the next one',
  appliesTo: [FOLDER_FAMILY],
  needs: ['folder'],
  settings: z.object({
    /** `next`: exactly the next number; `increasing`: any number above the latest (publish.versionPolicy). */
    policy: z.enum(['next', 'increasing']).default('next'),
  }),
  async process({ context, instance, settings, log }) {
    const { folder } = instance.data;
    if (!folder.task || !folder.asset || folder.fields?.version === undefined) return;
    const wanted = Number(folder.fields.version);
    const existing = (await trackerOf(context).listVersions(folder.task.task.id, folder.asset)).map((x) => x.version);
    const latest = Math.max(0, ...existing);
    const next = latest + 1;
    // Files that landed are checked again; a retried job finds the version it published itself.
    const retried = vendorPublishOf(context).landed === true && wanted === latest;
    if (wanted === next || retried || (settings.policy === 'increasing' && wanted > latest)) {
      if (wanted > next && !retried) log.warn(`${v(wanted)} skips ${wanted - next === 1 ? v(next) : `${v(next)}-${v(wanted - 1)}`}; accepted (the studio keeps the vendor's numbering).`);
      folder.version = wanted;
      return;
    }
    const have = existing.length ? `${folder.asset} has ${existing.map(v).join(', ')}` : `${folder.asset} has no versions yet`;
    const rename = instance.name.replace(new RegExp(`${folder.fields.version}(?!.*\\d)`), String(next).padStart(folder.fields.version.length, '0'));
    const expected = settings.policy === 'increasing' ? ` Any version above ${v(latest)} is accepted.` : '';
    throw new PublishValidationError(
      `${v(wanted)} ${existing.includes(wanted) ? 'is already published' : wanted < next ? 'is older than the latest' : 'skips versions'}: ${have}. The next version is ${v(next)}.${expected}`,
      { title: existing.includes(wanted) ? 'Version already exists' : 'Version out of order', hint: `Rename the folder to ${rename}.`, path: instance.name },
    );
  },
});
