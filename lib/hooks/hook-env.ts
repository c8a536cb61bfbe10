/**
 * The environment a command hook runs with: a short allow-list of what
 * programs need to run (PATH, HOME, locale, time zone, temp folder), the
 * hook's own `env:` from the config, and the paths of its JSON input and
 * output. Nothing else of the server's environment is passed on, so tokens,
 * API keys and passwords the server holds never reach a studio script.
 */
const ALLOWED = [
  'PATH', 'HOME', 'USER', 'LOGNAME', 'SHELL', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR', 'TEMP', 'TMP', 'TERM',
  // What programs on Windows need to start.
  'SYSTEMROOT', 'SYSTEMDRIVE', 'WINDIR', 'COMSPEC', 'PATHEXT', 'USERPROFILE', 'APPDATA', 'LOCALAPPDATA', 'PROGRAMDATA',
];

/** Inherited names: the allow-list and the locale's LC_* categories. */
export function isInheritedVariable(name: string): boolean {
  const upper = name.toUpperCase();
  return ALLOWED.includes(upper) || /^LC_[A-Z]+$/.test(upper);
}

export function hookEnvironment(
  own: Readonly<Record<string, string>> | undefined,
  extra: Readonly<Record<string, string>>,
  from: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const inherited = Object.entries(from).filter((entry): entry is [string, string] => entry[1] !== undefined && isInheritedVariable(entry[0]));
  return { ...Object.fromEntries(inherited), ...own, ...extra };
}
