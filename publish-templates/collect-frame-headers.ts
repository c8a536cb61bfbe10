/**
 * Reads the header of one frame of each folder's main sequence — never a full
 * decode — so validate-resolution can check the size: on the files themselves
 * when they can be read here (a local run, or files that have landed at HQ),
 * otherwise from the frame facts the vendor side sent with the tree (HQ reads
 * the landed frames again before publishing). A frame whose header cannot be
 * read is refused here, before it fails an encode.
 */
import { definePublishPlugin, FOLDER_FAMILY, mainSequence, Order, probeImage, PublishValidationError, type FolderData, type ImageFormat } from 'handoff/sdk';

const FORMATS: readonly string[] = ['exr', 'dpx', 'png', 'jpeg', 'tiff', 'webp'] satisfies ImageFormat[];

/** The sent facts of the main sequence's first frame (or of the first sequence sent). */
function sentFacts(folder: FolderData) {
  const sequence = mainSequence('', folder.files);
  const first = sequence?.range && sequence.path.replace(/%0?(\d*)d/, (_, width: string) => String(sequence.range!.first).padStart(Number(width || 0), '0'));
  return folder.sentMedia?.find((f) => f.frame === first) ?? folder.sentMedia?.[0];
}

export default definePublishPlugin({
  id: 'collect-frame-headers',
  order: Order.Collect + 0.2,
  label: 'Frame headers',
  appliesTo: [FOLDER_FAMILY],
  needs: ['folder'],
  uses: ['media'],
  writes: ['media'],
  async process({ instance, log }) {
    const { folder } = instance.data;
    if (instance.data.media) return;
    if (!folder.localPath) {
      const sent = sentFacts(folder);
      if (!sent) return;
      instance.data.media = { kind: 'image', path: sent.frame, frameCount: 1, format: FORMATS.includes(sent.format) ? (sent.format as ImageFormat) : 'other', width: sent.width, height: sent.height, bitDepth: undefined, colour: {} };
      log.info(`${sent.format} ${sent.width}x${sent.height} (read by the vendor side)`);
      return;
    }
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
