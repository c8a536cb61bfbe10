/**
 * Loads the files TDs write (actions, hooks, publish plugins) without a build step: `.ts`
 * through tsx, `.mjs`/`.js` natively. Wherever the file lives — this repository or a studio
 * folder with no node_modules — `import … from 'handoff/sdk'` resolves to the handoff that
 * is running, so a studio file needs nothing installed beside it.
 */
import { register as registerHooks } from 'node:module';
import { stat } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';
import type { NamespacedUnregister } from 'tsx/esm/api';

let loader: NamespacedUnregister | undefined;

/**
 * Imports a TD file and returns its default export. One loader serves the process (registering
 * costs hundreds of milliseconds); the file's mtime in the URL loads an edited file afresh.
 */
export async function importTdFile(file: string): Promise<unknown> {
  const { mtimeMs } = await stat(file);
  const url = `${pathToFileURL(file).href}?mtime=${Math.round(mtimeMs)}`;
  if (!loader) {
    const packageJson = new URL('../../../package.json', import.meta.url).href;
    registerHooks('./resolve-hook.mjs', import.meta.url, { data: { packageJson } });
    loader = register({ namespace: 'handoff-td' });
  }
  const mod = (file.endsWith('.ts') ? await loader.import(url, import.meta.url) : await import(url)) as { default?: unknown };
  return mod.default;
}
