/** Entity storage: tables, graph navigation and mutations. */
export { TableStore, keyOf, type StoreSnapshot } from './table-store.ts';
export { EntityGraph } from './graph.ts';
export { createEntity, updateEntity, deleteEntity, checkRequired } from './mutations.ts';
export { describeChange, type EntityChange } from './changes.ts';
