/**
 * The task description: a Handlebars template rendered with the task's
 * specification, notes, delivery naming and package contents. The template is
 * the project's own, else the studio's, else the built-in
 * actions/outsource/description.hbs. Output is the same for the same input.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { HandoffError } from '../core/errors.ts';
import type { TaskContext } from '../tracker/types.ts';
import type { CollectedSource } from './collect.ts';
import { isOutsourceNote } from './tracker-update.ts';

export const builtinDescriptionTemplate = fileURLToPath(new URL('../../actions/outsource/description.hbs', import.meta.url));

export interface DescriptionInput {
  context: TaskContext;
  studio: string;
  vendor: { code: string; name: string };
  job: string;
  /** `publishTo`: the vendor's FROM_CLIENT folder at HQ (for vendors on a shared volume); `user`: who publishes. */
  delivery: { name: string; next: string; publishTo: string; user: string };
  coordinatorNote?: string | undefined;
  sources: readonly CollectedSource[];
}

const compiled = new Map<string, Handlebars.TemplateDelegate>();

async function templateFor(file: string): Promise<Handlebars.TemplateDelegate> {
  const text = await readFile(file, 'utf8').catch((cause: unknown) => {
    throw new HandoffError('OUTSOURCE_TEMPLATE_NOT_FOUND', `Cannot read the description template ${file}`, {
      cause,
      details: { file },
      hint: 'Fix the descriptionTemplate setting or remove it to use the built-in template.',
    });
  });
  let template = compiled.get(text);
  if (!template) {
    try {
      template = Handlebars.compile(text, { strict: false });
      template({});
    } catch (cause) {
      throw new HandoffError('OUTSOURCE_TEMPLATE_INVALID', `The description template ${file} does not compile: ${(cause as Error).message}`, {
        cause,
        details: { file },
        hint: 'Fix the Handlebars syntax the message points at.',
      });
    }
    compiled.set(text, template);
  }
  return template;
}

/** The values a description template sees; docs/outsource.md lists them. */
export function descriptionData(input: DescriptionInput) {
  const { context } = input;
  const range = context.shot?.frameRange;
  const resolution = context.project.resolution;
  return {
    studio: input.studio,
    job: input.job,
    vendor: input.vendor,
    delivery: input.delivery,
    coordinatorNote: input.coordinatorNote || undefined,
    task: { id: context.task.id, name: context.task.name, type: context.task.type, path: context.path.join('/') },
    project: { name: context.project.name, fullName: context.project.fullName },
    sequence: context.sequence?.name,
    shot: context.shot?.name,
    frames: range && {
      start: range.start,
      end: range.end,
      head: range.handles.head,
      tail: range.handles.tail,
      first: range.start - range.handles.head,
      last: range.end + range.handles.tail,
      count: range.end - range.start + 1,
      total: range.end - range.start + 1 + range.handles.head + range.handles.tail,
    },
    fps: context.fps,
    resolution: resolution && `${resolution.width}x${resolution.height}`,
    colourSpace: context.project.colourSpace,
    notes: context.notes.filter((n) => !isOutsourceNote(n.content)).map((n) => ({ content: n.content, author: n.author?.name, date: n.createdAt.toISOString().slice(0, 10) })),
    sources: input.sources.map((s) => ({ name: s.name, folder: s.folder, files: s.files.length, sequences: s.sequences, singles: s.singles })),
  };
}

export async function renderDescription(input: DescriptionInput, templateFile = builtinDescriptionTemplate): Promise<string> {
  const template = await templateFor(templateFile);
  try {
    return template(descriptionData(input));
  } catch (cause) {
    throw new HandoffError('OUTSOURCE_TEMPLATE_INVALID', `The description template ${templateFile} failed: ${(cause as Error).message}`, {
      cause,
      details: { file: templateFile },
      hint: 'Check the helpers and fields the template uses (docs/outsource.md).',
    });
  }
}
