/**
 * Names and paths of one outsourced task, built from the settings' templates
 * with lib/core/naming. Tracker names may hold any letters (non-ASCII too);
 * a value with a slash is refused so it cannot add folders.
 */
import { compileTemplate, type FieldOptions, type FieldValues, type NamingTemplate } from '../core/naming/index.ts';
import type { TaskContext } from '../tracker/types.ts';

const anyName: FieldOptions = { pattern: '[^/\\\\]+' };
const fieldOptions: Record<string, FieldOptions> = {
  project: anyName,
  sequence: anyName,
  shot: anyName,
  task: anyName,
  vendor: anyName,
  type: anyName,
  yymmdd: { pattern: '\\d{6}' },
  yyyymmdd: { pattern: '\\d{8}' },
};

const cache = new Map<string, NamingTemplate>();

/** A compiled template (cached); fields: project, sequence, shot, task, type, vendor, version, yymmdd, yyyymmdd. */
export function nameTemplate(text: string): NamingTemplate {
  let compiled = cache.get(text);
  if (!compiled) {
    compiled = compileTemplate(text, fieldOptions);
    cache.set(text, compiled);
  }
  return compiled;
}

/** Builds a name; a template without fields (a fixed folder) is itself. */
export function formatName(text: string, values: FieldValues): string {
  return text.includes('{') ? nameTemplate(text).format(values) : text;
}

/** Template fields of a task: the tracker's names from project to task. */
export function taskFields(context: TaskContext, vendor?: string): FieldValues {
  return {
    project: context.project.name,
    sequence: context.sequence?.name,
    shot: context.shot?.name,
    task: context.task.name,
    type: context.task.type,
    vendor,
  };
}

/** Date fields in UTC: `yymmdd` (261121) and `yyyymmdd` (20261121). */
export function dateFields(now: Date): FieldValues {
  const yyyymmdd = now.toISOString().slice(0, 10).replaceAll('-', '');
  return { yymmdd: yyyymmdd.slice(2), yyyymmdd };
}
