/**
 * The task the folder names must exist in the tracker and be assigned to this
 * vendor: to one of its people, or to anyone in its vendor group.
 */
import { assetName, definePublishPlugin, FOLDER_FAMILY, isAssignedToVendor, Order, PublishValidationError, trackerOf, vendorPublishOf, type TaskContext } from 'handoff/sdk';

function where(task: Pick<TaskContext, 'path'>): string {
  return task.path.join(' / ');
}

export default definePublishPlugin({
  id: 'validate-task-assignment',
  order: Order.Validate + 0.03,
  label: 'Task exists and is assigned to the vendor',
  appliesTo: [FOLDER_FAMILY],
  needs: ['folder'],
  writes: ['task'],
  async process({ context, instance }) {
    const { folder } = instance.data;
    const fields = folder?.fields;
    if (!fields) return;
    const tracker = trackerOf(context);
    const query = { project: fields.project ?? '', sequence: fields.sequence, shot: fields.shot ?? fields.asset ?? '', task: fields.task ?? '' };
    const task = await tracker.findTask(query);
    if (!task) {
      throw new PublishValidationError(`There is no task ${[query.project, query.sequence, query.shot, query.task].filter(Boolean).join(' / ')} in the tracker.`, {
        title: 'Unknown task',
        hint: 'Check the project, shot and task names against the task description you received.',
        path: instance.name,
      });
    }
    const { vendor } = vendorPublishOf(context);
    if (!isAssignedToVendor(task, vendor)) {
      const names = task.task.assignees.map((u) => u.name);
      throw new PublishValidationError(
        `${where(task)} is assigned to ${names.length ? names.join(', ') : 'nobody'}, not to ${vendor.group ?? vendor.code}.`,
        { title: 'Task not assigned to you', hint: 'Publish only tasks outsourced to you; ask the coordinator if this one should be.', path: instance.name },
      );
    }
    folder.task = task;
    instance.data.task = task;
    folder.asset = assetName(fields);
  },
});
