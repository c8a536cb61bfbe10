/**
 * Thumbnails as the web UI asks for them: the component's image scaled to fit
 * `size` pixels (never enlarged), and a grey placeholder when there is no
 * image. Rendered with sharp, loaded on first use.
 */
let cached: Promise<Buffer> | undefined;

const loadSharp = () => import('sharp').then((module) => module.default);

export function placeholderThumbnail(): Promise<Buffer> {
  cached ??= loadSharp().then((sharp) =>
    sharp({ create: { width: 300, height: 300, channels: 3, background: { r: 64, g: 64, b: 64 } } }).png().toBuffer(),
  );
  return cached;
}

/** The image scaled to fit `size`×`size`, as PNG or JPEG like its source; the placeholder when it is no image. */
export async function thumbnailOf(bytes: Buffer, size: number | undefined): Promise<{ bytes: Buffer; type: string }> {
  const sharp = await loadSharp();
  try {
    const image = sharp(bytes);
    const { format } = await image.metadata();
    const resized = size ? image.resize(size, size, { fit: 'inside', withoutEnlargement: true }) : image;
    return format === 'png' ? { bytes: await resized.png().toBuffer(), type: 'image/png' } : { bytes: await resized.jpeg().toBuffer(), type: 'image/jpeg' };
  } catch {
    return { bytes: await placeholderThumbnail(), type: 'image/png' };
  }
}
