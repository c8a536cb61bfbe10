/**
 * Refuses what could escape or break storage on any host: `..`, absolute
 * paths, control characters, reserved names, symlinks leaving the folder.
 * Also refuses loose files: only folders named after a task publish.
 */
import { definePublishPlugin, FOLDER_FAMILY, LOOSE_FILE_FAMILY, Order, PublishValidationError } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'validate-safe-paths',
  order: Order.Validate + 0.01,
  label: 'Paths are safe',
  appliesTo: [FOLDER_FAMILY, LOOSE_FILE_FAMILY],
  needs: ['folder'],
  process({ instance }) {
    if (instance.family === LOOSE_FILE_FAMILY) {
      throw new PublishValidationError(`${instance.name} is a file; only folders are published.`, {
        title: 'Not a folder',
        hint: 'Put the files in a folder named after the task, e.g. scd_0010_0010_cleanup_v001.',
        path: instance.name,
      });
    }
    const { folder } = instance.data;
    if (!folder.unsafe.length) return;
    const list = folder.unsafe.slice(0, 10).map((u) => `${JSON.stringify(u.path)} (${u.message})`).join('; ');
    const more = folder.unsafe.length > 10 ? ` and ${folder.unsafe.length - 10} more` : '';
    throw new PublishValidationError(`${instance.name} has ${folder.unsafe.length} unsafe name(s): ${list}${more}.`, {
      title: 'Unsafe paths',
      hint: 'Rename these files so they are plain names safe on Windows, macOS and Linux, and replace symlinks with the files themselves.',
      path: folder.unsafe[0]?.path,
    });
  },
});
