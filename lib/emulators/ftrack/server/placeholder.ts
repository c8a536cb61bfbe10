/** The grey image served when an entity has no thumbnail, rendered once with sharp. */
let cached: Promise<Buffer> | undefined;

export function placeholderThumbnail(): Promise<Buffer> {
  cached ??= import('sharp').then(({ default: sharp }) =>
    sharp({ create: { width: 300, height: 300, channels: 3, background: { r: 64, g: 64, b: 64 } } }).png().toBuffer(),
  );
  return cached;
}
