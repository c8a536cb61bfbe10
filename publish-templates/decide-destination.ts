/**
 * Where a folder goes: it lands in the vendor's FROM_CLIENT (the only place a
 * vendor writes) and is published into the task's publish area at HQ.
 */
import { definePublishPlugin, fillPathTemplate, FOLDER_FAMILY, Order, PublishValidationError, toSafeRelative, vendorHomeOf, vendorPublishOf, z } from 'handoff/sdk';

export default definePublishPlugin({
  id: 'decide-destination',
  order: Order.Validate + 0.4,
  label: 'Destination',
  appliesTo: [FOLDER_FAMILY],
  needs: ['folder'],
  settings: z.object({
    /** Production path in the HQ volume; fields from the folder name plus `root`, `publishFolder` (or `folder`), `vendor`. */
    publishArea: z.string().default('{root}/{sequence}/{shot}/publish/{task}/{publishFolder}'),
    /** Upload path in the HQ volume; adds `vendorHome` and `fromClient`. */
    landing: z.string().default('{vendorHome}/{fromClient}/{publishFolder}'),
  }),
  process({ context, instance, settings }) {
    const { folder } = instance.data;
    if (!folder.fields || !folder.task) return;
    const { vendor } = vendorPublishOf(context);
    const values = {
      ...folder.fields,
      root: folder.task.project.root ?? folder.task.project.name,
      publishFolder: instance.name,
      folder: instance.name,
      vendor: vendor.code,
      vendorHome: vendorHomeOf(vendor),
      fromClient: vendor.fromClient ?? 'FROM_CLIENT',
    };
    try {
      folder.destination = toSafeRelative(fillPathTemplate(settings.publishArea, values));
      folder.landing = toSafeRelative(fillPathTemplate(settings.landing, values));
    } catch (err) {
      throw new PublishValidationError(`No destination for ${instance.name}: ${err instanceof Error ? err.message : String(err)}`, {
        title: 'No destination', hint: 'Fix the publishArea/landing settings of decide-destination in publish.yaml.',
      });
    }
  },
});
