/** Media must have the project's resolution (or, if allowed, the same aspect ratio). */
import { definePublishPlugin, Order, PublishValidationError, z } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'validate-resolution',
  order: Order.Validate + 0.2,
  label: 'Resolution matches the project',
  appliesTo: ['*'],
  uses: ['media', 'task'],
  settings: z.object({
    /** `exact`: same width and height; `aspect`: same aspect ratio (proxies, overscan-free scales). */
    match: z.enum(['exact', 'aspect']).default('exact'),
  }),
  process({ context, instance, settings, log }) {
    const info = instance.data.media;
    // An instance may carry its own task (a vendor drop spans several).
    const task = instance.data.task ?? context.task;
    const expected = task?.project.resolution;
    if (!info) return;
    if (!expected) {
      log.warn('the project has no resolution; not checked');
      return;
    }
    const same = settings.match === 'exact'
      ? info.width === expected.width && info.height === expected.height
      : Math.abs(info.width / info.height - expected.width / expected.height) < 0.005;
    if (!same) {
      throw new PublishValidationError(`${instance.name} is ${info.width}x${info.height}; the project is ${expected.width}x${expected.height}.`, {
        title: 'Wrong resolution',
        hint: 'Render at the project resolution (see the task description).',
        path: instance.media?.path,
      });
    }
  },
});
