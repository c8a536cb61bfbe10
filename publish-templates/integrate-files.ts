/**
 * Puts the landed files into the production path: hard links where the volume
 * allows (instant, no extra space), copies otherwise. The landed files stay.
 * A file already there with the same size is kept; a different one is an error,
 * never overwritten.
 */
import { copyFile, link, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { confinePath, definePublishPlugin, FOLDER_FAMILY, Order, PublishValidationError, vendorPublishOf } from 'handoff/sdk';

async function place(from: string, to: string): Promise<'linked' | 'copied' | 'kept'> {
  const [source, existing] = await Promise.all([stat(from), stat(to).catch(() => undefined)]);
  if (existing) {
    if (existing.size === source.size) return 'kept';
    throw new PublishValidationError(`${to} already exists with other content (${existing.size} bytes, the upload has ${source.size}).`, {
      title: 'Destination taken', hint: 'Publish as the next version, or have the existing file moved away first.', path: to,
    });
  }
  await mkdir(path.dirname(to), { recursive: true });
  try {
    await link(from, to);
    return 'linked';
  } catch {
    await copyFile(from, to);
    return 'copied';
  }
}

export default definePublishPlugin({
  id: 'integrate-files',
  order: Order.Integrate,
  label: 'Files into the production path',
  appliesTo: [FOLDER_FAMILY],
  needs: ['folder'],
  writes: ['publishedRoot'],
  async process({ context, instance, log }) {
    const { folder } = instance.data;
    if (!folder.destination || !folder.localPath) {
      throw new PublishValidationError(`${instance.name} has no ${folder.destination ? 'landed files' : 'production path'} to integrate.`, {
        title: 'Nothing to integrate', hint: 'Run the publish through the job-post-done hook, which gives the landed folder and its destination.',
      });
    }
    const { hqRoot } = vendorPublishOf(context);
    if (!hqRoot) throw new PublishValidationError('The HQ volume is not known here.', { title: 'No HQ volume', hint: 'Run the publish through the job-post-done hook.' });
    const counts = { linked: 0, copied: 0, kept: 0 };
    for (const file of folder.files) {
      const from = path.join(folder.localPath, ...file.path.split('/'));
      const to = await confinePath(hqRoot, `${folder.destination}/${file.path}`);
      counts[await place(from, to)]++;
    }
    instance.data.publishedRoot = await confinePath(hqRoot, folder.destination);
    log.info(`${folder.destination}: ${counts.linked} linked, ${counts.copied} copied, ${counts.kept} already there`);
  },
});
