/**
 * The memory tracker's studio data: users, statuses and the project / sequence /
 * shot / task hierarchy built from a StudioSeed, and the task contexts read from it.
 */
import { randomUUID } from 'node:crypto';
import type { StudioSeed } from './seed.ts';
import type { Note, ProjectInfo, Status, TaskContext, User } from './types.ts';

export interface TaskRecord {
  id: string;
  name: string;
  type: string;
  statusId: string;
  assigneeIds: string[];
  project: ProjectInfo;
  sequence: { id: string; name: string };
  shot: { id: string; name: string; start: number; end: number; handles: number; fps?: number | undefined };
}

export interface Studio {
  users: User[];
  statuses: Status[];
  tasks: Map<string, TaskRecord>;
  /** Notes per target id (task or version), oldest first. */
  notes: Map<string, Note[]>;
}

export function buildStudio(seed: StudioSeed, now: () => Date): Studio {
  const users: User[] = seed.users.map((u) => ({
    id: randomUUID(),
    username: u.username,
    email: u.email,
    name: u.name,
    groups: [...u.groups],
  }));
  const statuses: Status[] = seed.statuses.map((s) => ({ id: randomUUID(), name: s.name, state: s.state }));
  const byUsername = new Map(users.map((u) => [u.username, u]));
  const statusByName = new Map(statuses.map((s) => [s.name, s]));
  const tasks = new Map<string, TaskRecord>();
  const notes = new Map<string, Note[]>();

  for (const p of seed.projects) {
    const project: ProjectInfo = {
      id: randomUUID(),
      name: p.name,
      fullName: p.fullName,
      fps: p.fps,
      resolution: p.resolution ? { ...p.resolution } : undefined,
      colourSpace: p.colourSpace,
      root: p.root,
    };
    for (const q of p.sequences) {
      const sequence = { id: randomUUID(), name: q.name };
      for (const s of q.shots) {
        const shot = { id: randomUUID(), name: s.name, ...s.frames, fps: s.fps };
        for (const t of s.tasks) {
          const id = randomUUID();
          tasks.set(id, {
            id,
            name: t.name,
            type: t.type.toLowerCase(),
            // The seed check proved every status and user referenced here exists.
            statusId: statusByName.get(t.status)!.id,
            assigneeIds: t.assignees.map((name) => byUsername.get(name)!.id),
            project,
            sequence,
            shot,
          });
          notes.set(
            id,
            t.notes.map((n) => ({ id: randomUUID(), content: n.content, author: byUsername.get(n.author), createdAt: now() })),
          );
        }
      }
    }
  }
  return { users, statuses, tasks, notes };
}

/** The full context of one task; a fresh copy every time so callers cannot change the store. */
export function taskContext(studio: Studio, task: TaskRecord): TaskContext {
  const status = studio.statuses.find((s) => s.id === task.statusId)!;
  const { shot, sequence, project } = task;
  return structuredClone({
    project,
    sequence: { id: sequence.id, name: sequence.name },
    shot: {
      id: shot.id,
      name: shot.name,
      frameRange: { start: shot.start, end: shot.end, handles: { head: shot.handles, tail: shot.handles } },
    },
    task: {
      id: task.id,
      name: task.name,
      type: task.type,
      status,
      assignees: task.assigneeIds.map((id) => studio.users.find((u) => u.id === id)!),
    },
    fps: shot.fps ?? project.fps,
    notes: studio.notes.get(task.id) ?? [],
    path: [project.name, sequence.name, shot.name, task.name],
  });
}
