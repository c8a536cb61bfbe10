/** Files operating systems leave behind are left out of the publish, with a note. */
import { definePublishPlugin, FOLDER_FAMILY, folderOf, LOOSE_FILE_FAMILY, Order, z } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'ignore-junk-files',
  order: Order.Collect + 0.06,
  label: 'Junk files left out',
  appliesTo: [FOLDER_FAMILY, LOOSE_FILE_FAMILY],
  needs: ['folder'],
  settings: z.object({
    /** Base names compared without case; `._` resource forks are always junk. */
    names: z.array(z.string()).default(['.DS_Store', 'Thumbs.db', 'desktop.ini', '.localized']),
  }),
  process({ context, instance, settings, log }) {
    const junk = new Set(settings.names.map((n) => n.toLowerCase()));
    const isJunk = (file: { path: string }) => {
      const base = file.path.slice(file.path.lastIndexOf('/') + 1);
      return junk.has(base.toLowerCase()) || base.startsWith('._');
    };
    if (instance.family === LOOSE_FILE_FAMILY) {
      if (!isJunk({ path: instance.name })) return;
      context.instances.splice(context.instances.indexOf(instance), 1);
      log.info(`left out ${instance.name}`);
      return;
    }
    const folder = folderOf(instance);
    if (!folder) return;
    const ignored = folder.files.filter(isJunk).map((f) => f.path);
    if (!ignored.length) return;
    folder.files = folder.files.filter((f) => !isJunk(f));
    folder.ignored.push(...ignored);
    log.info(`left out ${ignored.length} junk file(s): ${ignored.slice(0, 5).join(', ')}${ignored.length > 5 ? ' …' : ''}`);
  },
});
