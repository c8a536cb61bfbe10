/**
 * Turns the tracker-neutral StudioSeed into ftrack entities: users, statuses
 * with states, task types, projects (fps, resolution, colour space as custom
 * attributes), sequences, shots (fstart, fend, handles), tasks with
 * assignments and notes.
 */
import type { ProjectSeed, StudioSeed } from '../../tracker/seed.ts';
import { validationError } from './errors.ts';
import { STATE_IDS } from './constants.ts';
import type { EntityRecord } from './model/index.ts';
import { createEntity, type EntityGraph } from './store/index.ts';

const STATE_BY_SEED = { not_started: STATE_IDS.NOT_STARTED, in_progress: STATE_IDS.IN_PROGRESS, done: STATE_IDS.DONE, blocked: STATE_IDS.BLOCKED };

function setAttribute(graph: EntityGraph, entity: EntityRecord, key: string, value: unknown): void {
  const config = graph
    .scan('CustomAttributeConfiguration')
    .find((c) => c.key === key && (c.is_hierarchical || c.entity_type === (entity.__entity_type__ === 'Project' ? 'show' : 'task')));
  if (!config) throw validationError(`No custom attribute "${key}" is configured for ${entity.__entity_type__}.`);
  createEntity(graph, 'CustomAttributeValue', { configuration_id: config.id, entity_id: entity.id, value });
}

function byName(graph: EntityGraph, type: string, name: string, field = 'name'): EntityRecord {
  const hit = graph.scan(type).find((r) => r[field] === name);
  if (!hit) throw validationError(`The seed refers to an unknown ${type} "${name}".`);
  return hit;
}

function seedProject(graph: EntityGraph, seed: ProjectSeed): void {
  const project = createEntity(graph, 'Project', { name: seed.name, full_name: seed.fullName, root: seed.root ?? seed.name });
  setAttribute(graph, project, 'fps', seed.fps);
  if (seed.resolution) {
    setAttribute(graph, project, 'resolution_width', seed.resolution.width);
    setAttribute(graph, project, 'resolution_height', seed.resolution.height);
  }
  if (seed.colourSpace) setAttribute(graph, project, 'colour_space', seed.colourSpace);
  for (const sequenceSeed of seed.sequences) {
    const sequence = createEntity(graph, 'Sequence', { name: sequenceSeed.name, parent_id: project.id });
    for (const shotSeed of sequenceSeed.shots) {
      const shot = createEntity(graph, 'Shot', { name: shotSeed.name, parent_id: sequence.id });
      setAttribute(graph, shot, 'fstart', shotSeed.frames.start);
      setAttribute(graph, shot, 'fend', shotSeed.frames.end);
      setAttribute(graph, shot, 'handles', shotSeed.frames.handles);
      if (shotSeed.fps !== undefined) setAttribute(graph, shot, 'fps', shotSeed.fps);
      for (const taskSeed of shotSeed.tasks) {
        const type = graph.scan('Type').find((t) => t.name === taskSeed.type) ?? createEntity(graph, 'Type', { name: taskSeed.type });
        const task = createEntity(graph, 'Task', {
          name: taskSeed.name,
          parent_id: shot.id,
          type_id: type.id,
          status_id: byName(graph, 'Status', taskSeed.status).id,
        });
        for (const username of taskSeed.assignees) {
          createEntity(graph, 'Appointment', { context_id: task.id, resource_id: byName(graph, 'User', username, 'username').id, type: 'assignment' });
        }
        for (const note of taskSeed.notes) {
          createEntity(graph, 'Note', { parent_id: task.id, content: note.content, user_id: byName(graph, 'User', note.author, 'username').id });
        }
      }
    }
  }
}

export function applyStudioSeed(graph: EntityGraph, seed: StudioSeed): void {
  const groups = new Map<string, EntityRecord>();
  for (const user of seed.users) {
    const [first = user.name, ...rest] = user.name.split(' ');
    const record = createEntity(graph, 'User', { username: user.username, first_name: first, last_name: rest.join(' '), email: user.email ?? '' });
    for (const name of user.groups) {
      const group = groups.get(name) ?? createEntity(graph, 'Group', { name });
      groups.set(name, group);
      createEntity(graph, 'Membership', { user_id: record.id, group_id: group.id });
    }
  }
  for (const [sort, status] of seed.statuses.entries()) {
    createEntity(graph, 'Status', { name: status.name, sort, state: { __entity_type__: 'State', id: STATE_BY_SEED[status.state] } });
  }
  for (const [sort, name] of seed.taskTypes.entries()) createEntity(graph, 'Type', { name, sort });
  for (const project of seed.projects) seedProject(graph, project);
}
