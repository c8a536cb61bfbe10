/**
 * Outsource: sends the selected tasks to their vendor. Each task's files, a
 * description (description.hbs beside this file) and a manifest go into today's
 * delivery job for its project and vendor. Goes straight through when every
 * task is assigned to a known vendor; otherwise asks which vendor, with an
 * optional note and priority. The flow itself lives in lib/outsource/.
 *
 * Needs `services.outsource` (createOutsource from lib/outsource).
 */
import { defineAction, failure, field, finishMessage, form, formValues, HandoffError, outsourceMessage, queued, type Outsource } from 'handoff/sdk';

interface Services {
  outsource?: Outsource | undefined;
}

function flow(services: Services): Outsource {
  if (!services.outsource) {
    throw new HandoffError('OUTSOURCE_NOT_CONFIGURED', 'Outsource is not set up on this server', {
      hint: 'Serve the actions with services.outsource (createOutsource) and at least one vendor.',
    });
  }
  return services.outsource;
}

export default defineAction<Services>({
  id: 'outsource',
  label: 'Outsource',
  description: "Sends the selected tasks' files and description to the vendor in today's delivery job",
  discover: ({ selection, services }) =>
    selection.length > 0 &&
    selection.every((s) => s.entityType === 'task') &&
    Object.keys(services.outsource?.settings.vendors ?? {}).length > 0,

  async launch({ selection, tracker, services, user, values }) {
    const input = formValues(values);
    const result = await flow(services).outsource({
      tracker,
      taskIds: selection.map((s) => s.entityId),
      vendor: input.text('vendor') || undefined,
      note: input.text('note') || undefined,
      priority: input.number('priority'),
      userId: user.id,
    });

    if (result.type === 'needs-vendor') {
      const why = result.tasks.map((t) => `- ${t.where}: ${t.reason}`).join('\n');
      return form(
        'Outsource',
        [
          field.label(`Which vendor should get ${selection.length === 1 ? 'this task' : `all ${selection.length} tasks`}?\n${why}`),
          field.choice('vendor', 'Vendor', result.choices, result.suggested),
          field.textarea('note', 'Note for the vendor (optional)'),
          field.number('priority', "Priority (1 lowest – 1000 highest; empty: the vendor's usual)"),
        ],
        'Outsource',
      );
    }

    const text = outsourceMessage(result.deliveries, result.refused, result.warnings);
    if (!result.deliveries.some((d) => d.status !== 'failed')) return failure(text);
    return queued(text, async (report, signal) => finishMessage(await result.finish(signal, report)));
  },
});
