/** Probes each instance's media once (size, frames, codec, colour) for the plugins after it. */
import { definePublishPlugin, Order } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'collect-media-info',
  order: Order.Collect + 0.1,
  label: 'Media facts',
  appliesTo: ['*'],
  writes: ['media'],
  async process({ context, instance, log }) {
    if (!instance.media) return;
    const info = await context.services.media.probe(instance.media.path, instance.media.range ? { range: instance.media.range } : {});
    instance.data.media = info;
    log.info(`${info.kind} ${info.width}x${info.height}, ${info.frameCount ?? '?'} frame(s)`);
  },
});
