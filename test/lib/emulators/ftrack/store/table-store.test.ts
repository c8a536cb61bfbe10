import { describe, expect, it } from 'vitest';
import { createEntity, deleteEntity, EntityGraph, TableStore, updateEntity } from '../../../../../lib/emulators/ftrack/store/index.ts';
import { addBuiltins } from '../../../../../lib/emulators/ftrack/builtins.ts';

function studio(indexed = true): { store: TableStore; graph: EntityGraph; projectId: string } {
  const store = new TableStore({ indexed });
  const graph = new EntityGraph(store, 'http://emulator');
  const projectId = store.transaction(() => {
    addBuiltins(graph);
    return String(createEntity(graph, 'Project', { name: 'scd' }).id);
  });
  return { store, graph, projectId };
}

describe('TableStore', () => {
  it('undoes every change of a failed transaction, indexes included', () => {
    const { store, graph, projectId } = studio();
    const sequence = store.transaction(() => createEntity(graph, 'Sequence', { name: 'sq', parent_id: projectId }));
    expect(store.where('Sequence', 'parent_id', projectId)).toHaveLength(1);
    const revision = store.revision;
    expect(() =>
      store.transaction(() => {
        createEntity(graph, 'Shot', { name: 'sh', parent_id: sequence.id });
        updateEntity(graph, 'Sequence', sequence.id, { name: 'renamed' });
        deleteEntity(graph, 'Sequence', [sequence.id]);
        expect(store.where('Sequence', 'parent_id', projectId)).toEqual([]);
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(store.revision).toBe(revision);
    expect(store.scan('Shot')).toEqual([]);
    expect(store.byId(sequence.id)).toMatchObject({ name: 'sq' });
    expect(store.where('Sequence', 'parent_id', projectId).map((s) => s.name)).toEqual(['sq']);
  });

  it('answers where the same with and without indexes', () => {
    for (const indexed of [true, false]) {
      const { store, graph, projectId } = studio(indexed);
      store.transaction(() => {
        for (const name of ['a', 'b', 'c']) createEntity(graph, 'Sequence', { name, parent_id: projectId });
      });
      expect(store.where('Context', 'parent_id', projectId).map((r) => r.name).sort()).toEqual(['a', 'b', 'c']);
      expect(store.where('Sequence', 'name', 'b')).toHaveLength(1);
      expect(store.where('Sequence', 'name', 'zz')).toEqual([]);
    }
  });

  it('round-trips through a snapshot', () => {
    const { store } = studio();
    const copy = new TableStore();
    copy.load(JSON.parse(JSON.stringify(store.snapshot())));
    expect(copy.scan('Project').map((p) => p.name)).toEqual(['scd']);
    expect(copy.scan('CustomAttributeConfiguration').length).toBe(store.scan('CustomAttributeConfiguration').length);
  });
});
