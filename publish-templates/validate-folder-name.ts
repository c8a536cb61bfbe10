/**
 * The folder name must follow the studio's publish naming template; on a near
 * miss the vendor is told what is wrong and what the name probably should be.
 */
import { compileTemplate, definePublishPlugin, FOLDER_FAMILY, Order, PublishValidationError, z, type NamingTemplate } from 'handoff/sdk';

const fieldRule = z.object({
  pattern: z.string().optional(),
  values: z.array(z.string()).optional(),
  case: z.enum(['lower', 'upper', 'any']).optional(),
});

const compiled = new Map<string, NamingTemplate>();

export default definePublishPlugin({
  id: 'validate-folder-name',
  order: Order.Validate + 0.02,
  label: 'Folder is named after its task',
  appliesTo: [FOLDER_FAMILY],
  needs: ['folder'],
  settings: z.object({
    template: z.string().default('{project}_{sequence}_{shot}_{task}_v{version:03}'),
    fields: z.record(z.string(), fieldRule).default({ sequence: { pattern: '\\d{4}' }, shot: { pattern: '\\d{4}' }, task: { case: 'lower' } }),
  }),
  process({ instance, settings }) {
    const { folder } = instance.data;
    if (folder.unsafe.some((u) => u.path === instance.name)) return;
    const key = JSON.stringify(settings);
    let template = compiled.get(key);
    if (!template) compiled.set(key, (template = compileTemplate(settings.template, settings.fields)));
    const parsed = template.parse(instance.name);
    if (parsed.ok) {
      folder.fields = parsed.fields;
      return;
    }
    // A bare "no match" would only repeat the first sentence.
    const reasons = parsed.issues.filter((i) => i.code !== 'NO_MATCH').map((i) => ` ${i.message}`).join('');
    throw new PublishValidationError(
      `${instance.name} does not follow ${settings.template}.${reasons}${parsed.suggestion ? ` Did you mean ${parsed.suggestion}?` : ''}`,
      {
        title: 'Folder name does not fit the naming rule',
        hint: parsed.suggestion
          ? `Rename the folder to ${parsed.suggestion}.`
          : `Name the folder ${settings.template}, e.g. ${exampleOf(template)}.`,
        path: instance.name,
      },
    );
  },
});

function exampleOf(template: NamingTemplate): string {
  try {
    return template.format({ project: 'scd', episode: 'ep01', sequence: '0010', shot: '0010', asset: 'chair', task: 'cleanup', version: 1, vendor: 'vendor' });
  } catch {
    return template.text;
  }
}
