/**
 * Publishes each instance as a version on its task: the media as the main
 * component, plus the thumbnail and review movie the extractors made.
 * Publishing again with the same instance creates nothing new.
 */
import { definePublishPlugin, HandoffError, Order, parseSequencePattern, printfPattern, trackerOf, z, type ComponentSpec, type MediaInfo } from 'handoff/sdk';

const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

function mainComponent(name: string, info: MediaInfo): ComponentSpec {
  if (info.kind !== 'sequence') return { kind: 'file', name, path: info.path };
  const pattern = parseSequencePattern(info.pattern);
  return {
    kind: 'sequence', name, path: printfPattern(pattern),
    frames: { start: info.frames.first, end: info.frames.last, padding: pattern.padding },
  };
}

export default definePublishPlugin({
  id: 'integrate-tracker-version',
  order: Order.Integrate + 0.1,
  label: 'Version in the tracker',
  appliesTo: ['*'],
  uses: ['media', 'review', 'asset', 'versionNumber', 'comment', 'timeSpent', 'status'],
  writes: ['published'],
  settings: z.object({
    /** Name of the component holding the delivered media. */
    componentName: z.string().min(1).default('main'),
    /** Status to set on the task after publishing; the instance's `data.status` wins. */
    status: z.string().min(1).optional(),
  }),
  async process({ context, instance, settings, log }) {
    const info = instance.data.media;
    if (!info) return;
    const tracker = trackerOf(context);
    const task = context.task;
    if (!task) {
      throw new HandoffError('PUBLISH_TASK_MISSING', `${instance.name} has no task to publish to: the publish context names none.`, {
        hint: 'Start the publish with the resolved task (context.task), or disable integrate-tracker-version.',
      });
    }
    const review = instance.data.review;
    const frameIn = info.kind === 'sequence' ? info.frames.first : 0;
    const asset = text(instance.data.asset) ?? instance.name;
    const published = await tracker.publishVersion({
      taskId: task.task.id,
      asset,
      version: number(instance.data.versionNumber),
      idempotencyKey: `${task.task.id}/${instance.name}`,
      components: [mainComponent(settings.componentName, info)],
      thumbnail: instance.outputs.thumbnail,
      reviewable: instance.outputs.review && review
        ? { path: instance.outputs.review, frameRate: review.fps, frameIn, frameOut: frameIn + review.frameCount - 1, width: review.width, height: review.height }
        : undefined,
      comment: text(instance.data.comment),
      timeSpent: number(instance.data.timeSpent),
      status: text(instance.data.status) ?? settings.status,
    });
    instance.data.published = published;
    log.info(`${asset} v${String(published.version).padStart(3, '0')} ${published.created ? 'published' : 'already published'}`);
  },
});
