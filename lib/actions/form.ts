/**
 * Typed helpers to build action forms and read what comes back. Trackers return
 * form values loosely (numbers and booleans as strings, several fields of one
 * name as an array), so reading coerces and says clearly what was wrong.
 */
import { HandoffError } from '../core/errors.ts';
import type { ActionResult } from './define-action.ts';
import type { FormItem } from '../tracker/types.ts';

type Option = string | { label: string; value: string };

const options = (list: Option[]) => list.map((o) => (typeof o === 'string' ? { label: o, value: o } : o));

export const field = {
  text: (name: string, label: string, value?: string): FormItem => ({ type: 'text', name, label, value }),
  textarea: (name: string, label: string, value?: string): FormItem => ({ type: 'textarea', name, label, value }),
  number: (name: string, label: string, value?: number): FormItem => ({ type: 'number', name, label, value }),
  boolean: (name: string, label: string, value = false): FormItem => ({ type: 'boolean', name, label, value }),
  /** An ISO date (YYYY-MM-DD). */
  date: (name: string, label: string, value?: string): FormItem => ({ type: 'date', name, label, value }),
  choice: (name: string, label: string, list: Option[], value?: string): FormItem => ({
    type: 'enumerator',
    name,
    label,
    data: options(list),
    value,
  }),
  choices: (name: string, label: string, list: Option[], value: string[] = []): FormItem => ({
    type: 'enumerator',
    name,
    label,
    data: options(list),
    value,
    multiSelect: true,
  }),
  /** Text shown in the form (markdown in ftrack). */
  label: (text: string): FormItem => ({ type: 'label', value: text }),
  /** State carried from one launch to the next. */
  hidden: (name: string, value: string): FormItem => ({ type: 'hidden', name, value }),
};

export function form(title: string, items: FormItem[], submitButtonLabel?: string): ActionResult {
  return { type: 'form', title, items, submitButtonLabel };
}

function invalid(name: string, expected: string, value: unknown): HandoffError {
  return new HandoffError('ACTION_FORM_INVALID', `The form field "${name}" should be ${expected}, got ${JSON.stringify(value)}`, {
    details: { field: name, expected, value },
    hint: `Enter ${expected} in "${name}" and submit again.`,
  });
}

/** Typed reads of submitted form values. */
export function formValues(values: Record<string, unknown> | undefined) {
  const raw = (name: string): unknown => values?.[name];
  return {
    has: (name: string): boolean => raw(name) !== undefined && raw(name) !== '',
    text(name: string, fallback = ''): string {
      const v = raw(name);
      return v === undefined || v === null ? fallback : Array.isArray(v) ? v.map(String).join(', ') : String(v);
    },
    number(name: string, fallback?: number): number | undefined {
      const v = raw(name);
      if (v === undefined || v === null || v === '') return fallback;
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n)) throw invalid(name, 'a number', v);
      return n;
    },
    boolean(name: string, fallback = false): boolean {
      const v = raw(name);
      if (v === undefined || v === null || v === '') return fallback;
      if (v === true || v === 'true' || v === 1 || v === '1') return true;
      if (v === false || v === 'false' || v === 0 || v === '0') return false;
      throw invalid(name, 'yes or no', v);
    },
    /** Multi-select values and repeated fields of one name, as a list. */
    list(name: string): string[] {
      const v = raw(name);
      if (v === undefined || v === null || v === '') return [];
      return (Array.isArray(v) ? v : [v]).map(String);
    },
  };
}
