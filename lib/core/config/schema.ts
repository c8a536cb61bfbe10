/**
 * The whole config file as one strict zod schema: unknown keys are errors (a
 * typo must not silently fall back to a default), and every section has
 * defaults so a minimal file (even an empty one) is valid.
 */
import { z } from 'zod';
import { nonEmpty } from './fields.ts';
import { logSection, serverSection, transferSection } from './services.ts';
import { projectsSection, trackerSection, vendorsSection, volumesSection } from './studio.ts';
import { actionsSection, hooksSection, namingSection, outsourceSection, publishSection } from './workflow.ts';

export const configSchema = z.strictObject({
  /** The config format version; 1 today. */
  version: z.literal(1).default(1),
  studio: z.strictObject({ name: nonEmpty.default('Studio') }).prefault({}),
  tracker: trackerSection.prefault({}),
  volumes: volumesSection.default({}),
  /** The volume used when a project or vendor names none; optional with a single volume. */
  defaultVolume: z.string().optional(),
  projects: projectsSection.default({}),
  vendors: vendorsSection.default({}),
  naming: namingSection.prefault({}),
  outsource: outsourceSection.prefault({}),
  actions: actionsSection.default({}),
  publish: publishSection.prefault({}),
  transfer: transferSection.prefault({}),
  server: serverSection.prefault({}),
  hooks: hooksSection.prefault({}),
  log: logSection.prefault({}),
});

export type ParsedConfig = z.output<typeof configSchema>;

/** The keys a strict object accepts at `path`, for "did you mean" hints; empty when unknown. */
export function allowedKeysAt(path: ReadonlyArray<string | number>): string[] {
  let nodes: z.core.$ZodType[] = [configSchema];
  for (const segment of path) {
    nodes = nodes.flatMap((node) => childrenOf(unwrap(node), segment));
  }
  return [...new Set(nodes.flatMap((node) => unwrap(node)).flatMap(shapeKeys))];
}

type Def = { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType; options?: z.core.$ZodType[]; valueType?: z.core.$ZodType; element?: z.core.$ZodType; shape?: Record<string, z.core.$ZodType> };

function defOf(node: z.core.$ZodType): Def {
  return node._zod.def as unknown as Def;
}

/** Looks through defaults, optionals, pipes and unions to the schemas that hold the data. */
function unwrap(node: z.core.$ZodType): z.core.$ZodType[] {
  const def = defOf(node);
  if (def.innerType) return unwrap(def.innerType);
  if (def.type === 'pipe' && def.in) return unwrap(def.in);
  if (def.type === 'union' && def.options) return def.options.flatMap(unwrap);
  return [node];
}

function childrenOf(nodes: z.core.$ZodType[], segment: string | number): z.core.$ZodType[] {
  return nodes.flatMap((node) => {
    const def = defOf(node);
    if (def.type === 'object' && def.shape && typeof segment === 'string' && def.shape[segment]) return [def.shape[segment]];
    if (def.type === 'record' && def.valueType) return [def.valueType];
    if (def.type === 'array' && def.element) return [def.element];
    return [];
  });
}

function shapeKeys(node: z.core.$ZodType): string[] {
  const def = defOf(node);
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}
