/**
 * A vendor folder's version (integrate-tracker-version does the same for other
 * instances, from their probed media). One version on the folder's task: components for the published files (a
 * sequence component per image sequence), thumbnail, reviewable, the vendor's
 * comment as a note, time spent as a time log, the chosen status. Keyed by the
 * job and the folder, so a re-run returns the first version and writes nothing.
 */
import path from 'node:path';
import { definePublishPlugin, findSequences, FOLDER_FAMILY, groupByFolder, Order, PublishValidationError, resolveAuthor, trackerOf, vendorPublishOf, type ComponentSpec, type FolderData, type ReviewableSpec } from 'handoff/sdk';

function componentsOf(folder: FolderData, root: string): ComponentSpec[] {
  const components: ComponentSpec[] = [];
  const sizes = new Map(folder.files.map((f) => [f.path, f.size]));
  const taken = new Set<string>();
  const name = (wanted: string) => {
    let candidate = wanted || 'file';
    for (let i = 2; taken.has(candidate); i++) candidate = `${wanted}${i}`;
    taken.add(candidate);
    return candidate;
  };
  for (const [dir, names] of groupByFolder(folder.files)) {
    const { sequences, singles } = findSequences(names, { minFrames: 2 });
    const at = (n: string) => (dir ? `${dir}/${n}` : n);
    for (const seq of sequences) {
      components.push({
        kind: 'sequence', name: name(seq.tail.replace(/^\./, '').toLowerCase()),
        path: path.join(root, dir, seq.pattern('%0Nd')),
        frames: { start: seq.start!, end: seq.end!, padding: seq.padding },
        size: seq.files.reduce((s, n) => s + (sizes.get(at(n)) ?? 0), 0),
      });
    }
    for (const single of singles) {
      components.push({ kind: 'file', name: name(path.extname(single).slice(1).toLowerCase()), path: path.join(root, dir, single), size: sizes.get(at(single)) });
    }
  }
  return components;
}

export default definePublishPlugin({
  id: 'integrate-vendor-version',
  order: Order.Integrate + 0.1,
  label: 'Vendor version in the tracker',
  appliesTo: [FOLDER_FAMILY],
  needs: ['folder', 'publishedRoot'],
  uses: ['review'],
  writes: ['published'],
  async process({ context, instance, log }) {
    const { folder, publishedRoot: root } = instance.data;
    if (!folder.task || !folder.asset) {
      throw new PublishValidationError(`${instance.name} reached integration without its task or asset.`, {
        title: 'Folder not resolved', hint: 'Keep validate-task-assignment enabled: it finds the task the folder is published to.',
      });
    }
    const tracker = trackerOf(context);
    const drop = vendorPublishOf(context);
    const author = await resolveAuthor(tracker, drop.user);
    const review = instance.data.review;
    const range = instance.media?.range;
    const reviewable: ReviewableSpec | undefined = instance.outputs.review && review && range
      ? { path: instance.outputs.review, frameRate: review.fps, frameIn: range.first, frameOut: range.last, width: review.width, height: review.height }
      : undefined;
    const published = await tracker.publishVersion({
      taskId: folder.task.task.id,
      asset: folder.asset,
      version: folder.version,
      idempotencyKey: `vendor-publish:${drop.jobId ?? 'local'}:${instance.name}`,
      authorId: author.id,
      components: componentsOf(folder, root),
      thumbnail: instance.outputs.thumbnail,
      reviewable,
      comment: drop.fields?.comment,
      timeSpent: drop.fields?.timeSpent,
      status: drop.fields?.status,
    });
    instance.data.published = published;
    log.info(published.created ? `version ${published.version} published` : `version ${published.version} was already published; nothing written`);
  },
});
