/**
 * Turns records into the JSON a real server returns: concrete
 * `__entity_type__`, primary key, system projections, then the requested
 * attributes, nested as the paths say. Relations without sub-attributes come
 * back as `{__entity_type__, <key>}` stubs; key/value collections in full.
 */
import { encodeDatetime } from '../codec.ts';
import { getTypeDef, type AttrDef, type EntityRecord } from '../model/index.ts';
import type { EntityGraph } from '../store/graph.ts';

export interface ProjectionTree {
  [attribute: string]: ProjectionTree;
}

export function projectionTree(paths: readonly (readonly string[])[]): ProjectionTree {
  const root: ProjectionTree = {};
  for (const path of paths) {
    let node = root;
    for (const name of path) node = node[name] ??= {};
  }
  return root;
}

function scalarOut(attr: AttrDef, value: unknown): unknown {
  const type = attr.kind === 'scalar' ? attr.type : attr.kind === 'computed' ? attr.type : undefined;
  if (type === 'datetime') return encodeDatetime(value);
  return value === undefined ? null : value;
}

function stub(record: EntityRecord): Record<string, unknown> {
  const def = getTypeDef(record.__entity_type__);
  const out: Record<string, unknown> = { __entity_type__: record.__entity_type__ };
  for (const name of def?.primaryKey ?? ['id']) out[name] = record[name] ?? null;
  return out;
}

/** A full key/value row for mapped collections such as custom_attributes and metadata. */
function fullRow(record: EntityRecord): ProjectionTree {
  const def = getTypeDef(record.__entity_type__);
  return projectionTree([...(def?.defaultProjections ?? []), 'value'].filter((n) => def?.attributes[n]).map((n) => [n]));
}

export function serialize(graph: EntityGraph, record: EntityRecord, tree: ProjectionTree): Record<string, unknown> {
  const def = getTypeDef(record.__entity_type__);
  const out = stub(record);
  if (!def) return out;
  for (const name of def.systemProjections ?? []) {
    const attr = def.attributes[name];
    if (attr) out[name] = scalarOut(attr, record[name]);
  }
  for (const [name, sub] of Object.entries(tree)) {
    const attr = def.attributes[name];
    if (!attr) continue;
    const isRelation = attr.kind === 'ref' || attr.kind === 'collection' || (attr.kind === 'computed' && attr.target !== undefined);
    if (!isRelation) {
      out[name] = scalarOut(attr, attr.kind === 'computed' ? attr.compute(record, graph) : record[name]);
      continue;
    }
    const mapped = (attr.kind === 'collection' || attr.kind === 'computed') && attr.mapped === true;
    const children = graph.related(record, name) as (EntityRecord | null)[];
    const render = (child: EntityRecord | null): unknown => {
      if (!child) return null;
      if (Object.keys(sub).length) return serialize(graph, child, sub);
      return mapped ? serialize(graph, child, fullRow(child)) : stub(child);
    };
    const isMany = attr.kind === 'collection' || (attr.kind === 'computed' && attr.many === true);
    out[name] = isMany ? children.map(render) : render(children[0] ?? null);
  }
  return out;
}

/** Every stored scalar of a record: what create and update answer with. */
export function serializeScalars(graph: EntityGraph, record: EntityRecord): Record<string, unknown> {
  const def = getTypeDef(record.__entity_type__);
  const names = Object.entries(def?.attributes ?? {})
    .filter(([, attr]) => attr.kind === 'scalar')
    .map(([name]) => [name]);
  return serialize(graph, record, projectionTree(names));
}
