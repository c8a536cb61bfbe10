import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HookCommand } from '../core/config/index.ts';
import { HandoffError, isHandoffError } from '../core/errors.ts';
import { importTdFile } from '../core/modules/index.ts';
import { assertLifecycle, type CommandHook, type Hook, type ModuleHook } from './define-hook.ts';

/** A hook as the config lists it: a module file, or a command line. */
export type HookConfigEntry =
  | { on: string; name?: string; module: string; timeoutMs?: number }
  | { on: string; name?: string; command: HookCommand; timeoutMs?: number; cwd?: string; env?: Record<string, string> };

/** The hooks that ship with handoff (the top-level `hooks/` folder). */
export const builtinHooksDir = fileURLToPath(new URL('../../hooks/', import.meta.url));

const moduleFiles = ['hook.ts', 'hook.mjs', 'hook.js'];

/**
 * Loads hooks from folders (each sub-folder holding a `hook.ts` whose default
 * export is `defineHook(...)`; folders starting with `_` are skipped) and from
 * config entries. Fails at load, naming the file, for an unknown moment.
 */
export async function loadHooks(options: { folders?: string[]; entries?: HookConfigEntry[]; baseDir?: string }): Promise<Hook[]> {
  const hooks: Hook[] = [];
  for (const folder of options.folders ?? []) {
    for (const file of await hookFilesIn(folder)) hooks.push(await importHook(file));
  }
  for (const [index, entry] of (options.entries ?? []).entries()) {
    const where = `hooks[${index}]`;
    assertLifecycle(entry.on, where);
    if ('module' in entry) {
      const file = path.resolve(options.baseDir ?? process.cwd(), entry.module);
      const hook = await importHook(file);
      if (hook.on !== entry.on) {
        throw new HandoffError('HOOK_INVALID', `${where}: ${file} runs at ${hook.on}, but the config says ${entry.on}`, {
          hint: 'Make the config entry and the module agree on when the hook runs.',
        });
      }
      hooks.push({ ...hook, name: entry.name ?? hook.name, timeoutMs: entry.timeoutMs ?? hook.timeoutMs });
    } else {
      const command: CommandHook = { kind: 'command', on: entry.on, name: entry.name ?? `command-${index}`, command: entry.command };
      if (entry.timeoutMs !== undefined) command.timeoutMs = entry.timeoutMs;
      if (entry.cwd !== undefined) command.cwd = entry.cwd;
      if (entry.env !== undefined) command.env = entry.env;
      hooks.push(command);
    }
  }
  return hooks;
}

async function hookFilesIn(folder: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(folder)).sort();
  } catch (cause) {
    throw new HandoffError('HOOK_FOLDER_MISSING', `Hook folder ${folder} cannot be read`, { cause, hint: 'Check the hooks folder path in the config.' });
  }
  const files: string[] = [];
  for (const name of names) {
    if (name.startsWith('_') || name.startsWith('.')) continue;
    const dir = path.join(folder, name);
    if (!(await stat(dir)).isDirectory()) continue;
    for (const candidate of moduleFiles) {
      const file = path.join(dir, candidate);
      if (await stat(file).then((s) => s.isFile(), () => false)) {
        files.push(file);
        break;
      }
    }
  }
  return files;
}

async function importHook(file: string): Promise<ModuleHook> {
  let loaded: unknown;
  try {
    loaded = await importTdFile(file);
  } catch (cause) {
    if (isHandoffError(cause)) throw cause;
    throw new HandoffError('HOOK_LOAD_FAILED', `Hook ${file} failed to load: ${(cause as Error).message}`, {
      cause,
      hint: 'Fix the error in the hook file; it must `export default defineHook({...})`.',
    });
  }
  const hook = unwrapDefault(loaded);
  if (!hook) {
    throw new HandoffError('HOOK_INVALID', `Hook ${file} has no default export made by defineHook()`, {
      hint: 'End the file with `export default defineHook({ on, name, handler })`.',
    });
  }
  return hook;
}

/** A module compiled as CommonJS nests the default export one level deeper. */
function unwrapDefault(value: unknown): ModuleHook | undefined {
  for (let candidate = value, depth = 0; candidate && depth < 2; depth++) {
    if ((candidate as ModuleHook).kind === 'module') return candidate as ModuleHook;
    candidate = (candidate as { default?: unknown }).default;
  }
  return undefined;
}
