/**
 * Frame padding notations. A lone `#` is four digits (fileseq, oiiotool); a run
 * of two or more `#` is one digit per `#` (Nuke, RV: `####` = 4); each `@` is one
 * digit; printf `%04d` / `%d`; Houdini `$F4` / `$F`.
 */
export type PaddingStyle = '#' | '@' | '%0Nd' | '$F';

/** Finds padding notations anywhere in a pattern. */
export const PADDING_TOKEN = /%0\d+d|%d|\$F\d*|#+|@+/g;

/** Width in digits of one padding token, or undefined when `token` is not one. */
export function parsePadding(token: string): number | undefined {
  if (token === '#') return 4;
  if (/^#+$/.test(token) || /^@+$/.test(token)) return token.length;
  if (token === '%d' || token === '$F') return 1;
  const printf = /^%0(\d+)d$/.exec(token);
  if (printf) return Number(printf[1]);
  const houdini = /^\$F(\d+)$/.exec(token);
  if (houdini) return Number(houdini[1]);
  return undefined;
}

/** The token for `width` in `style`; parsePadding reads every result back to `width`. */
export function formatPadding(width: number, style: PaddingStyle = '#'): string {
  switch (style) {
    case '#':
      return width === 1 ? '@' : '#'.repeat(width);
    case '@':
      return '@'.repeat(width);
    case '%0Nd':
      return width <= 1 ? '%d' : `%0${width}d`;
    case '$F':
      return width <= 1 ? '$F' : `$F${width}`;
  }
}

/** A frame zero-padded to `width` characters, the sign counting as one (`-005`). */
export function padFrame(frame: number, width: number): string {
  if (frame < 0) return '-' + String(-frame).padStart(width - 1, '0');
  return String(frame).padStart(width, '0');
}
