/**
 * `${NAME}` and `${NAME:-fallback}` in config string values, so secrets stay
 * in the environment. Interpolation runs on parsed values (never on the YAML
 * text), so a secret containing `#` or `: ` cannot change the document.
 * `$${...}` is a literal `${...}`; placeholders the hook runtime fills at run
 * time (`${PATH_JSON_INPUT}`, `${PATH_JSON_OUTPUT}`) are left alone.
 */
import type { ConfigPath } from './yaml-positions.ts';

/** Placeholders resolved later by handoff itself, not from the environment. */
export const RUNTIME_PLACEHOLDERS: readonly string[] = ['PATH_JSON_INPUT', 'PATH_JSON_OUTPUT'];

export interface MissingVariable {
  path: ConfigPath;
  variable: string;
}

const reference = /\$(\$?)\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Returns a copy of `value` with every string interpolated, and the variables that were missing. */
export function interpolateEnv(
  value: unknown,
  env: NodeJS.ProcessEnv,
): { value: unknown; missing: MissingVariable[] } {
  const missing: MissingVariable[] = [];
  const walk = (node: unknown, path: Array<string | number>): unknown => {
    if (typeof node === 'string') return interpolateString(node, env, (variable) => missing.push({ path, variable }));
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...path, i]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...path, key])]));
    }
    return node;
  };
  return { value: walk(value, []), missing };
}

function interpolateString(text: string, env: NodeJS.ProcessEnv, onMissing: (variable: string) => void): string {
  return text.replace(reference, (whole, escape: string, name: string, fallback: string | undefined) => {
    if (escape) return whole.slice(1);
    if (RUNTIME_PLACEHOLDERS.includes(name)) return whole;
    const found = env[name];
    if (found !== undefined && found !== '') return found;
    if (fallback !== undefined) return fallback;
    if (found !== undefined) return found;
    onMissing(name);
    return whole;
  });
}
