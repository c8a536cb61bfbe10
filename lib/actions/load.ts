/**
 * Finds actions on disk: every `<dir>/<name>/action.ts` (or `.js`/`.mjs`) whose default
 * export is a `defineAction({...})`. Folders without an action file are left alone.
 */
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HandoffError } from '../core/errors.ts';
import { importTdFile } from '../core/modules/index.ts';
import { defineAction, type ActionDefinition, type ActionServices } from './define-action.ts';

/** The actions that ship with handoff (the top-level `actions/` folder). */
export const builtinActionsDir = fileURLToPath(new URL('../../actions/', import.meta.url));

const FILES = ['action.ts', 'action.mjs', 'action.js'];

async function actionFile(folder: string): Promise<string | undefined> {
  for (const name of FILES) {
    const file = path.join(folder, name);
    if (await access(file).then(() => true, () => false)) return file;
  }
  return undefined;
}

export async function loadActions<S = ActionServices>(dir: string = builtinActionsDir): Promise<ActionDefinition<S>[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((cause: unknown) => {
    throw new HandoffError('ACTION_DIR_NOT_FOUND', `Cannot read the actions folder ${dir}`, {
      cause,
      details: { dir },
      hint: 'Point the actions folder setting at a folder holding one sub-folder per action.',
    });
  });
  const folders = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const actions: ActionDefinition<S>[] = [];
  for (const folder of folders) {
    const file = await actionFile(path.join(dir, folder));
    if (!file) continue;
    const loaded = await importTdFile(file);
    if (!loaded || typeof loaded !== 'object') {
      throw new HandoffError('ACTION_INVALID', `${file} has no default export`, {
        details: { file },
        hint: 'End the file with `export default defineAction({ id, label, discover, launch })`.',
      });
    }
    actions.push(defineAction(loaded as ActionDefinition<S>));
  }
  return actions;
}
