/**
 * A tracker-neutral description of a studio's production data: users,
 * statuses, projects with sequences, shots and tasks. The memory tracker loads
 * it directly; the ftrack emulator turns it into ftrack entities. The same
 * seed therefore means the same studio in every implementation.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { z } from 'zod';
import { HandoffError } from '../core/errors.ts';

const userSeed = z.object({
  username: z.string().min(1),
  name: z.string().min(1),
  email: z.string().optional(),
  /** Tracker groups, e.g. the vendor's company group that recognises its people. */
  groups: z.array(z.string().min(1)).default([]),
});

const statusSeed = z.object({
  name: z.string().min(1),
  state: z.enum(['not_started', 'in_progress', 'done', 'blocked']),
});

const noteSeed = z.object({
  author: z.string().min(1),
  content: z.string().min(1),
});

const taskSeed = z.object({
  name: z.string().min(1),
  type: z.string().min(1),
  status: z.string().min(1),
  assignees: z.array(z.string()).default([]),
  notes: z.array(noteSeed).default([]),
});

const shotSeed = z.object({
  name: z.string().min(1),
  frames: z.object({
    start: z.number().int(),
    end: z.number().int(),
    handles: z.number().int().min(0).default(0),
  }),
  fps: z.number().positive().optional(),
  tasks: z.array(taskSeed).default([]),
});

const sequenceSeed = z.object({
  name: z.string().min(1),
  shots: z.array(shotSeed).default([]),
});

const projectSeed = z.object({
  name: z.string().min(1),
  fullName: z.string().min(1),
  fps: z.number().positive(),
  resolution: z.object({ width: z.number().int().positive(), height: z.number().int().positive() }).optional(),
  colourSpace: z.string().optional(),
  root: z.string().optional(),
  sequences: z.array(sequenceSeed).default([]),
});

export const studioSeedSchema = z.object({
  users: z.array(userSeed).min(1),
  statuses: z.array(statusSeed).min(1),
  taskTypes: z.array(z.string()).default([]),
  projects: z.array(projectSeed).default([]),
});

export type StudioSeed = z.infer<typeof studioSeedSchema>;
export type ProjectSeed = z.infer<typeof projectSeed>;
export type ShotSeed = z.infer<typeof shotSeed>;
export type TaskSeed = z.infer<typeof taskSeed>;

/** Parses a seed from YAML text; `source` names the file in error messages. */
export function parseStudioSeed(text: string, source: string): StudioSeed {
  const result = studioSeedSchema.safeParse(yaml.load(text));
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new HandoffError('SEED_INVALID', `Seed ${source} is invalid:\n  ${problems.join('\n  ')}`, {
      details: { source, problems },
      hint: 'Fix the listed keys in the seed file.',
    });
  }
  return result.data;
}

/** Loads a seed by name (`demo` ships with handoff) or by file path. */
export async function loadStudioSeed(nameOrPath: string): Promise<StudioSeed> {
  const file = /^[a-z0-9-]+$/.test(nameOrPath)
    ? fileURLToPath(new URL(`./seeds/${nameOrPath}.yaml`, import.meta.url))
    : nameOrPath;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new HandoffError('SEED_NOT_FOUND', `No seed named or at ${JSON.stringify(nameOrPath)}`, {
      cause,
      hint: 'Use `demo` or the path of a seed YAML file.',
    });
  }
  return parseStudioSeed(text, file);
}
