/**
 * One instance per folder the vendor dropped (a loose file becomes its own
 * instance, to be refused); each folder's files are listed with junk set aside
 * and unsafe names kept for validate-safe-paths.
 */
import path from 'node:path';
import { definePublishPlugin, flattenFolder, FOLDER_FAMILY, LOOSE_FILE_FAMILY, mediaFactsOf, Order, unsafeName, type FolderData, type VendorPublishData } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'collect-vendor-folders',
  order: Order.Collect + 0.05,
  label: 'Vendor folders',
  writes: ['folder'],
  process({ context, log }) {
    // Other publishes (a studio's own renders) bring their instances themselves.
    const drop = context.data.vendorPublish as VendorPublishData | undefined;
    if (!drop) return;
    drop.files.forEach((entry, index) => {
      const name = typeof entry?.filename === 'string' ? entry.filename : '';
      const topProblem = entry.refused ?? (name.includes('/') || name.includes('\\') ? 'a folder name cannot hold a separator' : unsafeName(name));
      const flat = entry.is_dir ? flattenFolder(entry) : { files: [], ignored: [], unsafe: [] };
      if (topProblem) flat.unsafe.unshift({ path: name || '(no name)', message: topProblem });
      const local = drop.localPaths?.[name] ?? (drop.localRoot ? path.join(drop.localRoot, name) : undefined);
      const folder: FolderData = {
        entry,
        ...flat,
        localPath: topProblem ? undefined : local,
        sentMedia: mediaFactsOf(entry.media),
      };
      context.instances.push({
        id: String(index),
        name,
        family: entry.is_dir ? FOLDER_FAMILY : LOOSE_FILE_FAMILY,
        data: { folder },
        outputs: {},
      });
    });
    log.info(`${drop.files.length} entr${drop.files.length === 1 ? 'y' : 'ies'} from ${drop.vendor.code} (${drop.user})`);
  },
});
