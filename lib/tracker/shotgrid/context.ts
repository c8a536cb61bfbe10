/**
 * Resolving selected task ids to full TaskContexts in a fixed number of
 * requests, whatever the selection size (up to a page of tasks per request):
 * the tasks; then their shots (or assets), projects and notes together; then
 * the people they name. Statuses come from the tracker's cache.
 */
import { taskNotFound } from '../errors.ts';
import type { TaskContext, TaskResolution } from '../types.ts';
import { link, linkOf, linksOf } from './client/index.ts';
import type { FlatRecord, ShotgridClient } from './client/index.ts';
import type { Directory } from './directory.ts';
import { byCreation, frameRangeOf, num, NOTE_FIELDS, pick, projectFields, sgId, SHOT_FIELDS, str, toNote, toProject } from './mapping.ts';
import type { ResolvedShotgridOptions } from './options.ts';

export const TASK_FIELDS = ['content', 'entity', 'step', 'sg_status_list', 'task_assignees', 'project'];

/**
 * ShotGrid ids are unique only within a type, so the ids of a task's project,
 * sequence and shot carry their type (`Shot-12`): no caller can take one for a
 * task. Ids passed where the type is known (task, user, version) are bare.
 */
export function refId(link: { type: string; id: number }): string {
  return `${link.type}-${link.id}`;
}

async function byIds(client: ShotgridClient, type: string, ids: number[], fields: string[], pageSize: number): Promise<Map<number, FlatRecord>> {
  if (!ids.length) return new Map();
  const rows = await client.findAll(type, [['id', 'in', [...new Set(ids)]]], { fields, pageSize });
  return new Map(rows.map((r) => [r.id, r]));
}

export async function resolveTaskContexts(client: ShotgridClient, directory: Directory, options: ResolvedShotgridOptions, ids: string[]): Promise<TaskResolution[]> {
  const wanted = ids.map(sgId).filter((id): id is number => id !== undefined);
  const tasks = await byIds(client, 'Task', wanted, TASK_FIELDS, options.pageSize);
  const taskRows = [...tasks.values()];
  const entities = taskRows.map((t) => linkOf(t['entity'])).filter((l) => l !== undefined);
  const entityFields = [...SHOT_FIELDS, ...options.fieldNames.fps];
  const entityTypes = [...new Set(entities.map((e) => e.type))];
  const [entityMaps, projects, notes, statuses] = await Promise.all([
    Promise.all(entityTypes.map((type) => byIds(client, type, entities.filter((e) => e.type === type).map((e) => e.id), entityFields, options.pageSize))),
    byIds(client, 'Project', taskRows.map((t) => linkOf(t['project'])?.id ?? 0), projectFields(options), options.pageSize),
    taskRows.length ? client.findAll('Note', [['tasks', 'in', taskRows.map((t) => link('Task', t.id))]], { fields: NOTE_FIELDS, pageSize: options.pageSize }) : Promise.resolve([]),
    directory.statuses(),
  ]);
  const entityOf = (l: { type: string; id: number } | undefined): FlatRecord | undefined => (l ? entityMaps[entityTypes.indexOf(l.type)]?.get(l.id) : undefined);
  const people = await directory.users([...taskRows.flatMap((t) => linksOf(t['task_assignees']).filter((l) => l.type === 'HumanUser').map((l) => l.id)), ...notes.map((n) => linkOf(n['user'])?.id ?? 0)]);
  notes.sort(byCreation);

  return ids.map((id): TaskResolution => {
    const sg = sgId(id);
    const task = sg === undefined ? undefined : tasks.get(sg);
    const project = projects.get(linkOf(task?.['project'])?.id ?? 0);
    if (!task || !project) {
      const err = taskNotFound(id);
      return { ok: false, id, code: err.code, message: err.message };
    }
    const info = { ...toProject(project, options), id: refId({ type: 'Project', id: project.id }) };
    const entityLink = linkOf(task['entity']);
    const entity = entityOf(entityLink);
    const sequenceLink = linkOf(entity?.['sg_sequence']);
    const frameRange = entity ? frameRangeOf(entity) : undefined;
    const statusCode = str(task['sg_status_list']);
    const context: TaskContext = {
      project: info,
      ...(sequenceLink ? { sequence: { id: refId(sequenceLink), name: str(sequenceLink.name) } } : {}),
      ...(entityLink && entityLink.type !== 'Project' ? { shot: { id: refId(entityLink), name: str(entity?.['code']) || str(entityLink.name), ...(frameRange ? { frameRange } : {}) } } : {}),
      task: {
        id,
        name: str(task['content']),
        type: str(linkOf(task['step'])?.name).toLowerCase(),
        status: statuses.find((s) => s.id === statusCode) ?? { id: statusCode, name: statusCode, state: 'not_started' },
        assignees: linksOf(task['task_assignees']).flatMap((l) => people.get(String(l.id)) ?? []),
      },
      fps: num(pick(entity, options.fieldNames.fps)) ?? info.fps,
      notes: notes.filter((n) => linksOf(n['tasks']).some((l) => l.id === task.id)).map((n) => toNote(n, people)),
      path: [info.name, ...(sequenceLink ? [str(sequenceLink.name)] : []), ...(entityLink && entityLink.type !== 'Project' ? [str(entity?.['code']) || str(entityLink.name)] : []), str(task['content'])],
    };
    return { ok: true, id, context };
  });
}
