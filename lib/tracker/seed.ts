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

const studioShape = z.object({
  users: z.array(userSeed).min(1),
  statuses: z.array(statusSeed).min(1),
  taskTypes: z.array(z.string()).default([]),
  projects: z.array(projectSeed).default([]),
});

type Issue = { path: (string | number)[]; message: string };

function duplicates(names: string[], path: (string | number)[], what: string): Issue[] {
  return names.flatMap((name, i) => (names.indexOf(name) !== i ? [{ path: [...path, i, 'name'], message: `${what} ${JSON.stringify(name)} appears twice` }] : []));
}

/** What the schema alone cannot see: names that must be unique and references that must exist. */
function referenceIssues(seed: z.infer<typeof studioShape>): Issue[] {
  const users = new Set(seed.users.map((u) => u.username));
  const statuses = new Set(seed.statuses.map((s) => s.name));
  const types = new Set(seed.taskTypes.map((t) => t.toLowerCase()));
  const issues: Issue[] = [
    ...duplicates(seed.users.map((u) => u.username), ['users'], 'user').map((i) => ({ ...i, path: [...i.path.slice(0, -1), 'username'] })),
    ...duplicates(seed.statuses.map((s) => s.name), ['statuses'], 'status'),
    ...duplicates(seed.projects.map((p) => p.name), ['projects'], 'project'),
  ];
  seed.projects.forEach((p, pi) => {
    issues.push(...duplicates(p.sequences.map((q) => q.name), ['projects', pi, 'sequences'], 'sequence'));
    p.sequences.forEach((q, qi) => {
      issues.push(...duplicates(q.shots.map((s) => s.name), ['projects', pi, 'sequences', qi, 'shots'], 'shot'));
      q.shots.forEach((s, si) => {
        const at = ['projects', pi, 'sequences', qi, 'shots', si];
        if (s.frames.start > s.frames.end) issues.push({ path: [...at, 'frames'], message: 'start is after end' });
        issues.push(...duplicates(s.tasks.map((t) => t.name), [...at, 'tasks'], 'task'));
        s.tasks.forEach((t, ti) => {
          const task = [...at, 'tasks', ti];
          if (!statuses.has(t.status)) issues.push({ path: [...task, 'status'], message: `unknown status ${JSON.stringify(t.status)}` });
          if (types.size && !types.has(t.type.toLowerCase())) issues.push({ path: [...task, 'type'], message: `unknown task type ${JSON.stringify(t.type)}` });
          t.assignees.forEach((a, ai) => {
            if (!users.has(a)) issues.push({ path: [...task, 'assignees', ai], message: `unknown user ${JSON.stringify(a)}` });
          });
          t.notes.forEach((n, ni) => {
            if (!users.has(n.author)) issues.push({ path: [...task, 'notes', ni, 'author'], message: `unknown user ${JSON.stringify(n.author)}` });
          });
        });
      });
    });
  });
  return issues;
}

export const studioSeedSchema = studioShape.superRefine((seed, ctx) => {
  for (const issue of referenceIssues(seed)) ctx.addIssue({ code: 'custom', ...issue });
});

export type StudioSeed = z.infer<typeof studioSeedSchema>;
/** A seed as written: keys with defaults may be left out. */
export type StudioSeedInput = z.input<typeof studioSeedSchema>;
export type ProjectSeed = z.infer<typeof projectSeed>;
export type ShotSeed = z.infer<typeof shotSeed>;
export type TaskSeed = z.infer<typeof taskSeed>;

/** Parses a seed from YAML text; `source` names the file in error messages. */
export function parseStudioSeed(text: string, source: string): StudioSeed {
  return checkStudioSeed(yaml.load(text), source);
}

/** Checks a seed given as data (defaults filled in); throws SEED_INVALID listing every problem. */
export function checkStudioSeed(value: unknown, source: string): StudioSeed {
  const result = studioSeedSchema.safeParse(value);
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
