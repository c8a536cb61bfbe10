/** An H.264 review movie per instance, with optional burn-ins (shot, version, vendor, frame). */
import path from 'node:path';
import { definePublishPlugin, Order, z } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'extract-review-movie',
  order: Order.Extract + 0.2,
  label: 'Review movie',
  appliesTo: ['*'],
  uses: ['version'],
  writes: ['review'],
  settings: z.object({
    crf: z.number().int().min(0).max(51).default(20),
    preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow']).default('veryfast'),
    maxWidth: z.number().int().min(16).default(1920),
    maxHeight: z.number().int().min(16).default(1080),
    burnIns: z.boolean().default(true),
  }),
  async process({ context, instance, settings, log }) {
    if (!instance.media) return;
    const output = path.join(context.stagingDir, `${instance.name.replace(/[^\w.-]/g, '_')}.review.mp4`);
    const vendor = typeof context.data.vendor === 'string' ? context.data.vendor : undefined;
    const movie = await context.services.media.reviewMovie({
      input: instance.media.path,
      output,
      fps: instance.media.fps ?? context.task?.fps ?? 24,
      crf: settings.crf,
      preset: settings.preset,
      maxSize: { width: settings.maxWidth, height: settings.maxHeight },
      ...(instance.media.range ? { range: instance.media.range } : {}),
      ...(settings.burnIns ? { burnIns: { shot: context.task?.shot?.name ?? instance.name, version: instance.data.version, vendor, frameNumber: true } } : {}),
    });
    instance.outputs.review = movie.path;
    instance.data.review = { frameCount: movie.frameCount, fps: movie.fps, width: movie.width, height: movie.height };
    log.info(`${movie.width}x${movie.height}, ${movie.frameCount} frames in ${movie.durationMs} ms`);
  },
});
