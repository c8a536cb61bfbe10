/**
 * Globs for collection rules, compiled once to a regular expression over
 * `/`-separated relative paths: `*` and `?` stay inside a folder, `**` crosses
 * folders (`**` followed by `/` also matches no folder), `{a,b}` picks one.
 * A glob without a `/` matches the file name at any depth (`*.exr`).
 */
export type PathMatcher = (relative: string) => boolean;

const special = /[.+^$()|[\]\\]/;

function toSource(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += special.test(c) ? `\\${c}` : c;
  }
  return out + ')'.repeat(braces);
}

/** One matcher for a list of globs: a path matches when any glob does. */
export function compileGlobs(globs: readonly string[]): PathMatcher {
  const sources = globs.map((glob) => (glob.includes('/') ? toSource(glob) : `(?:.*/)?${toSource(glob)}`));
  const regex = new RegExp(`^(?:${sources.join('|')})$`, 'u');
  return (relative) => regex.test(relative);
}

/** True when the globs take every file (no filtering needed). */
export function takesEverything(globs: readonly string[]): boolean {
  return globs.some((glob) => glob === '**' || glob === '**/*' || glob === '*');
}
