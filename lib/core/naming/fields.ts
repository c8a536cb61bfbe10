/**
 * Template fields: the names a template may use, the per-studio options that
 * constrain each one, and checking a single value against them.
 */
import { HandoffError } from '../errors.ts';

/** Field names every template may use; studios add their own through field options. */
export const KNOWN_FIELDS = [
  'project', 'episode', 'sequence', 'shot', 'asset', 'task', 'step', 'variant',
  'element', 'vendor', 'name', 'version', 'frame', 'ext',
] as const;

/** Fields that hold numbers even without a padding spec. */
const NUMERIC_FIELDS = new Set(['version', 'frame']);

export interface FieldOptions {
  /** The whole value must match (anchored). Default: letters and digits. */
  pattern?: string | RegExp;
  /** Known values (e.g. the project's task names); a value must be one of them. */
  values?: readonly string[];
  /** Letter case a value must use. Default `any`. */
  case?: 'lower' | 'upper' | 'any';
  /** Digits only; implied by a `{field:03}` padding spec and for version and frame. */
  numeric?: boolean;
}

export interface FieldSpec {
  name: string;
  numeric: boolean;
  /** Minimum digits, zero-padded (`{version:03}` → 3). */
  pad: number | undefined;
  pattern: RegExp;
  /** The pattern as configured, when not the default. */
  custom: RegExp | undefined;
  values: readonly string[] | undefined;
  case: 'lower' | 'upper' | 'any';
}

const DEFAULT_TEXT = /^[A-Za-z0-9]+$/;
const DIGITS = /^\d+$/;

export function fieldSpec(name: string, pad: number | undefined, options: FieldOptions | undefined, template: string): FieldSpec {
  const numeric = options?.numeric ?? (pad !== undefined || NUMERIC_FIELDS.has(name));
  let custom: RegExp | undefined;
  if (options?.pattern !== undefined) {
    const source = typeof options.pattern === 'string' ? options.pattern : options.pattern.source;
    try {
      custom = new RegExp(`^(?:${source})$`, typeof options.pattern === 'string' ? 'u' : options.pattern.flags.replace(/[gy]/g, ''));
    } catch (err) {
      throw new HandoffError('NAMING_TEMPLATE_INVALID', `Field "${name}" has a pattern that is not a valid regular expression`, {
        cause: err,
        details: { template, field: name, pattern: source, reason: 'bad-pattern' },
        hint: 'Fix the field pattern in the naming configuration, e.g. "\\\\d{4}" for four digits.',
      });
    }
  }
  return {
    name,
    numeric,
    pad,
    pattern: custom ?? (numeric ? DIGITS : DEFAULT_TEXT),
    custom,
    values: options?.values,
    case: options?.case ?? 'any',
  };
}

/** Why `value` is not acceptable for the field, or undefined when it is. */
export function valueProblem(spec: FieldSpec, value: string): string | undefined {
  if (value === '') return 'it is empty';
  if (spec.values) return spec.values.includes(value) ? undefined : `it is not one of ${listValues(spec.values)}`;
  if (spec.numeric && !DIGITS.test(value)) return 'it must be digits';
  if (!spec.pattern.test(value)) return `it does not match ${patternText(spec)}`;
  if (spec.case === 'lower' && value !== value.toLowerCase()) return 'it must be lower case';
  if (spec.case === 'upper' && value !== value.toUpperCase()) return 'it must be upper case';
  if (spec.pad !== undefined && value !== padNumber(value, spec.pad)) return `it must be ${spec.pad} digits, zero-padded`;
  return undefined;
}

/** A digit string or number written with at least `pad` digits (`7`, 3 → `007`). */
export function padNumber(value: string | number, pad: number): string {
  const digits = typeof value === 'number' ? String(value) : String(Number(value));
  return digits.padStart(pad, '0');
}

export function patternText(spec: FieldSpec): string {
  if (spec.custom) return `the pattern ${spec.custom.source.slice(4, -2)}`;
  return spec.numeric ? 'digits' : 'letters and digits';
}

export function listValues(values: readonly string[]): string {
  const shown = values.slice(0, 8).map((v) => `"${v}"`).join(', ');
  return values.length > 8 ? `${shown} …` : shown;
}
