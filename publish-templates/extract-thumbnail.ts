/** A JPEG thumbnail per instance (sharp for PNG/JPEG/TIFF, ffmpeg for EXR/DPX/movies). */
import path from 'node:path';
import { definePublishPlugin, Order, z } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'extract-thumbnail',
  order: Order.Extract + 0.1,
  label: 'Thumbnail',
  appliesTo: ['*'],
  settings: z.object({
    /** Longest side in pixels. */
    maxSize: z.number().int().min(16).max(4096).default(512),
    quality: z.number().int().min(1).max(100).default(85),
  }),
  async process({ context, instance, settings, log }) {
    if (!instance.media) return;
    const output = path.join(context.stagingDir, `${instance.name.replace(/[^\w.-]/g, '_')}.thumbnail.jpg`);
    const thumb = await context.services.media.thumbnail({ input: instance.media.path, output, ...settings });
    instance.outputs.thumbnail = thumb.path;
    log.info(`${thumb.width}x${thumb.height} with ${thumb.tool}`);
  },
});
