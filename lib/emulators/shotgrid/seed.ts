/**
 * Turns the tracker-neutral StudioSeed into ShotGrid records: HumanUsers and
 * Groups, Status rows (the studio's status names get ShotGrid-style short
 * codes, added to the work status lists), Steps for task types, Projects
 * (frame rate, resolution, colour space in sg_ fields), Sequences, Shots (cut
 * and handle frames), Tasks with assignees, and Notes linked to shot and task.
 */
import type { ProjectSeed, StudioSeed } from '../../tracker/seed.ts';
import type { Schema } from './schema/index.ts';
import type { Actor, Records, Row } from './store/index.ts';

const KNOWN_CODES: Record<string, string> = {
  'not started': 'wtg',
  'waiting to start': 'wtg',
  'ready to start': 'rdy',
  'in progress': 'ip',
  'pending review': 'rev',
  approved: 'apr',
  final: 'fin',
  retake: 'rtk',
  'on hold': 'hld',
  omit: 'omt',
  omitted: 'omt',
  outsourced: 'osr',
  complete: 'cmpt',
};

/** Short status codes for the seed's status names: known names keep ShotGrid's codes, others get initials. */
export function statusCodes(names: string[]): Map<string, string> {
  const codes = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    const base = KNOWN_CODES[name.toLowerCase()] ?? (name.match(/[A-Za-z0-9]+/g) ?? ['st']).map((w) => w.slice(0, w.length > 1 && name.split(' ').length === 1 ? 3 : 1)).join('').toLowerCase().slice(0, 4);
    let code = base;
    for (let n = 2; taken.has(code); n++) code = `${base}${n}`;
    taken.add(code);
    codes.set(name, code);
  }
  return codes;
}

const link = (row: Row) => ({ type: row.type, id: row.id });

function seedProject(records: Records, actor: Actor, seed: ProjectSeed, users: Map<string, Row>, steps: Map<string, Row>, codes: Map<string, string>): void {
  const project = records.create(
    'Project',
    {
      name: seed.fullName,
      code: seed.name,
      tank_name: seed.root ?? seed.name,
      sg_status: 'Active',
      sg_frame_rate: seed.fps,
      ...(seed.resolution ? { sg_resolution_width: seed.resolution.width, sg_resolution_height: seed.resolution.height } : {}),
      ...(seed.colourSpace ? { sg_colour_space: seed.colourSpace } : {}),
    },
    actor,
  );
  const inProject = { project: link(project) };
  for (const sequenceSeed of seed.sequences) {
    const sequence = records.create('Sequence', { ...inProject, code: sequenceSeed.name }, actor);
    for (const shotSeed of sequenceSeed.shots) {
      const { start, end, handles } = shotSeed.frames;
      const shot = records.create(
        'Shot',
        {
          ...inProject,
          code: shotSeed.name,
          sg_sequence: link(sequence),
          sg_cut_in: start,
          sg_cut_out: end,
          sg_cut_duration: end - start + 1,
          sg_head_in: start - handles,
          sg_tail_out: end + handles,
          ...(shotSeed.fps !== undefined ? { sg_frame_rate: shotSeed.fps } : {}),
        },
        actor,
      );
      for (const taskSeed of shotSeed.tasks) {
        const step = steps.get(taskSeed.type.toLowerCase()) ?? records.create('Step', { code: taskSeed.type, short_name: taskSeed.type.slice(0, 4), entity_type: 'Shot' }, actor);
        steps.set(taskSeed.type.toLowerCase(), step);
        const task = records.create(
          'Task',
          {
            ...inProject,
            content: taskSeed.name,
            entity: link(shot),
            step: link(step),
            sg_status_list: codes.get(taskSeed.status),
            task_assignees: taskSeed.assignees.map((u) => link(users.get(u)!)),
          },
          actor,
        );
        for (const note of taskSeed.notes) {
          records.create('Note', { ...inProject, subject: `${shotSeed.name} ${taskSeed.name}`, content: note.content, user: link(users.get(note.author)!), note_links: [link(shot)], tasks: [link(task)] }, actor);
        }
      }
    }
  }
}

/** Loads the seed into an empty site (statuses widen `schema`'s status lists first). */
export function applyStudioSeed(records: Records, schema: Schema, seed: StudioSeed, actor: Actor): void {
  const codes = statusCodes(seed.statuses.map((s) => s.name));
  schema.addStatuses([...codes.values()], Object.fromEntries([...codes].map(([name, code]) => [code, name])));
  const groups = new Map<string, Row>();
  for (const name of new Set(seed.users.flatMap((u) => u.groups))) groups.set(name, records.create('Group', { code: name }, actor));
  const users = new Map<string, Row>();
  for (const user of seed.users) {
    const [first = user.name, ...rest] = user.name.split(' ');
    const memberOf = user.groups.map((g) => link(groups.get(g)!));
    users.set(user.username, records.create('HumanUser', { login: user.username, name: user.name, firstname: first, lastname: rest.join(' '), email: user.email ?? user.username, groups: memberOf }, actor));
  }
  for (const group of groups.values()) {
    const members = seed.users.filter((u) => u.groups.includes(String(group.fields['code']))).map((u) => link(users.get(u.username)!));
    records.update('Group', group.id, { users: members }, actor);
  }
  for (const status of seed.statuses) records.create('Status', { code: codes.get(status.name), name: status.name }, actor);
  const steps = new Map<string, Row>();
  for (const [order, name] of seed.taskTypes.entries()) steps.set(name.toLowerCase(), records.create('Step', { code: name, short_name: name.slice(0, 4), entity_type: 'Shot', list_order: order }, actor));
  for (const project of seed.projects) seedProject(records, actor, project, users, steps, codes);
  for (const project of records.table.scan('Project')) {
    records.update('Project', project.id, { users: [...users.values()].map(link) }, actor);
  }
}
