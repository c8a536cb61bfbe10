/**
 * What every ftrack server has before anyone adds data: states, object types,
 * priorities, locations, a project schema, custom attribute types, the
 * studio's custom attribute configurations and a few asset types.
 */
import {
  CUSTOM_ATTRIBUTE_TYPE_IDS,
  DEFAULT_PRIORITY_ID,
  DEFAULT_PROJECT_SCHEMA_ID,
  LOCATION_IDS,
  OBJECT_TYPE_IDS,
  OBJECT_TYPE_LABELS,
  STATE_IDS,
  STATE_NAMES,
} from './constants.ts';
import { createEntity, type EntityGraph } from './store/index.ts';

/** Custom attribute keys the emulator configures, by where they apply. */
export const CUSTOM_ATTRIBUTE_KEYS = {
  /** On every context (hierarchical): frames per second. */
  fps: 'fps',
  /** On projects: output resolution and working colour space. */
  resolutionWidth: 'resolution_width',
  resolutionHeight: 'resolution_height',
  colourSpace: 'colour_space',
  /** On shots: first and last frame and handle length. */
  frameStart: 'fstart',
  frameEnd: 'fend',
  handles: 'handles',
} as const;

const CONFIGURATIONS: { key: string; label: string; type: keyof typeof CUSTOM_ATTRIBUTE_TYPE_IDS; entity: 'show' | 'task'; objectType?: string; hierarchical?: boolean; default: unknown }[] = [
  { key: 'fps', label: 'FPS', type: 'number', entity: 'task', hierarchical: true, default: null },
  { key: 'resolution_width', label: 'Resolution width', type: 'number', entity: 'show', default: 1920 },
  { key: 'resolution_height', label: 'Resolution height', type: 'number', entity: 'show', default: 1080 },
  { key: 'colour_space', label: 'Colour space', type: 'text', entity: 'show', default: '' },
  { key: 'fstart', label: 'Frame start', type: 'number', entity: 'task', objectType: OBJECT_TYPE_IDS.Shot, default: 1001 },
  { key: 'fend', label: 'Frame end', type: 'number', entity: 'task', objectType: OBJECT_TYPE_IDS.Shot, default: 1100 },
  { key: 'handles', label: 'Handles', type: 'number', entity: 'task', objectType: OBJECT_TYPE_IDS.Shot, default: 0 },
];

export function addBuiltins(graph: EntityGraph): void {
  for (const [short, id] of Object.entries(STATE_IDS)) {
    createEntity(graph, 'State', { id, short, name: STATE_NAMES[short as keyof typeof STATE_IDS] });
  }
  for (const [name, id] of Object.entries(OBJECT_TYPE_IDS)) {
    const label = OBJECT_TYPE_LABELS[name as keyof typeof OBJECT_TYPE_IDS];
    createEntity(graph, 'ObjectType', { id, name: label, is_leaf: name === 'Task', is_time_reportable: name === 'Task', is_schedulable: name === 'Task' || name === 'Milestone' });
  }
  const priorities = [['None', DEFAULT_PRIORITY_ID], ['Low'], ['Medium'], ['High'], ['Urgent']];
  for (const [sort, [name, id]] of priorities.entries()) createEntity(graph, 'Priority', { ...(id ? { id } : {}), name, sort, value: sort });
  for (const [name, id] of Object.entries(LOCATION_IDS)) createEntity(graph, 'Location', { id, name, label: name });
  createEntity(graph, 'ProjectSchema', { id: DEFAULT_PROJECT_SCHEMA_ID, name: 'VFX' });
  for (const [name, id] of Object.entries(CUSTOM_ATTRIBUTE_TYPE_IDS)) createEntity(graph, 'CustomAttributeType', { id, name, core: true });
  for (const [sort, c] of CONFIGURATIONS.entries()) {
    createEntity(graph, 'CustomAttributeConfiguration', {
      key: c.key,
      label: c.label,
      entity_type: c.entity,
      object_type_id: c.objectType ?? null,
      is_hierarchical: c.hierarchical ?? false,
      type_id: CUSTOM_ATTRIBUTE_TYPE_IDS[c.type],
      default: c.default,
      sort,
    });
  }
  for (const [name, short] of [['Upload', 'upload'], ['Image Sequence', 'img'], ['Compositing', 'comp'], ['Review', 'review']]) {
    createEntity(graph, 'AssetType', { name, short });
  }
}
