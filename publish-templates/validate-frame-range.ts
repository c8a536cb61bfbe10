/**
 * Sequences must be complete and cover the shot's frame range (with handles
 * unless turned off). Uses what collect-media-info found.
 */
import { definePublishPlugin, Order, PublishValidationError, z } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'validate-frame-range',
  order: Order.Validate + 0.1,
  label: 'Frame range is complete',
  appliesTo: ['*'],
  uses: ['media'],
  settings: z.object({
    /** Require the handle frames around the cut as well. */
    includeHandles: z.boolean().default(true),
  }),
  process({ context, instance, settings }) {
    const info = instance.data.media;
    if (info?.kind !== 'sequence') return;
    const { missing, empty, first, last } = info.frames;
    if (missing.length || empty.length) {
      const list = [...missing, ...empty].sort((a, b) => a - b);
      throw new PublishValidationError(`${instance.name} lacks ${list.length} frame(s) in ${first}-${last}: ${list.slice(0, 20).join(', ')}${list.length > 20 ? ' …' : ''}.`, {
        title: 'Frames missing',
        hint: 'Render or copy the missing frames, then publish again.',
        path: info.pattern,
      });
    }
    const range = context.task?.shot?.frameRange;
    if (!range) return;
    const head = settings.includeHandles ? range.handles.head : 0;
    const tail = settings.includeHandles ? range.handles.tail : 0;
    const want = { first: range.start - head, last: range.end + tail };
    if (first > want.first || last < want.last) {
      throw new PublishValidationError(`${instance.name} covers ${first}-${last}; the shot needs ${want.first}-${want.last}.`, {
        title: 'Frame range too short',
        hint: settings.includeHandles ? 'Include the handle frames, or ask for handles to be waived.' : 'Render the full cut range.',
        path: info.pattern,
      });
    }
  },
});
