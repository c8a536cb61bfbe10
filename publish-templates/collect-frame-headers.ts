/**
 * When the dropped folders can be read here (a local run, or files that have
 * landed), reads the header of one frame of each folder's main sequence —
 * never a full decode — so validate-resolution can check the size. A frame
 * whose header cannot be read is refused here, before it fails an encode.
 */
import { definePublishPlugin, FOLDER_FAMILY, folderOf, mainSequence, Order, probeImage, PublishValidationError } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'collect-frame-headers',
  order: Order.Collect + 0.2,
  label: 'Frame headers',
  appliesTo: [FOLDER_FAMILY],
  async process({ instance, log }) {
    const folder = folderOf(instance);
    if (!instance || !folder?.localPath || instance.data.media) return;
    const sequence = mainSequence(folder.localPath, folder.files);
    if (!sequence?.range) return;
    const frame = sequence.path.replace(/%0?(\d*)d/, (_, width: string) => String(sequence.range!.first).padStart(Number(width || 0), '0'));
    try {
      const image = await probeImage(frame);
      instance.data.media = { kind: 'image', path: frame, frameCount: 1, ...image };
      log.info(`${image.format} ${image.width}x${image.height}`);
    } catch (err) {
      throw new PublishValidationError(`${frame} is not a readable image: ${err instanceof Error ? err.message : String(err)}`, {
        title: 'Unreadable frame',
        hint: 'Render or export the frames again; the file is damaged or not the format its extension says.',
        path: frame,
      });
    }
  },
});
