/** Output sizes: fit inside a box, keep the aspect ratio, never enlarge. */

export interface Size {
  width: number;
  height: number;
}

/**
 * Fits `size` inside `max`. With `even`, both sides are even (yuv420p needs
 * it): the limiting side is rounded to even within the box, and the other side
 * follows the aspect ratio, as ffmpeg's `-2` does.
 */
export function fitWithin(size: Size, max: Size, options: { even?: boolean } = {}): Size {
  const step = options.even ? 2 : 1;
  // Rounded to the step, inside the box, and at most one step above the source side.
  const snap = (value: number, limit: number, source: number) => {
    const ceiling = Math.max(step, Math.min(limit - (limit % step), step * Math.ceil(source / step)));
    return Math.min(ceiling, Math.max(step, step * Math.round(value / step)));
  };
  const widthLimits = max.width / size.width <= max.height / size.height;
  const scale = Math.min(1, max.width / size.width, max.height / size.height);
  if (widthLimits) {
    const width = snap(size.width * scale, max.width, size.width);
    return { width, height: snap((width * size.height) / size.width, max.height, size.height) };
  }
  const height = snap(size.height * scale, max.height, size.height);
  return { width: snap((height * size.width) / size.height, max.width, size.width), height };
}
