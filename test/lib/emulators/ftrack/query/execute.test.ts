import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { addBuiltins } from '../../../../../lib/emulators/ftrack/builtins.ts';
import { executeQuery, parseQuery } from '../../../../../lib/emulators/ftrack/query/index.ts';
import { applyStudioSeed } from '../../../../../lib/emulators/ftrack/seed.ts';
import { EntityGraph, TableStore } from '../../../../../lib/emulators/ftrack/store/index.ts';
import { loadStudioSeed } from '../../../../../lib/tracker/seed.ts';

let graph: EntityGraph;
beforeAll(async () => {
  const store = new TableStore();
  graph = new EntityGraph(store, 'http://emulator');
  const seed = await loadStudioSeed('demo');
  store.transaction(() => {
    addBuiltins(graph);
    applyStudioSeed(graph, seed);
  });
});

const run = (expression: string) => executeQuery(graph, parseQuery(expression));
const ids = (expression: string) => run(expression).data.map((row) => row.id);

const CONDITIONS = [
  'name is cleanup',
  'name like "C%"',
  'project.name is scd',
  'assignments any ()',
  'assignments any (resource.username like "%compersinc%")',
  'parent.name is "0010"',
  'status.state.short is NOT_STARTED',
  'status.name in ("Ready to start", "On hold")',
  'custom_attributes any (key is fps)',
  'type has (name is Roto)',
];

describe('executeQuery', () => {
  it('pages through any ordering without gaps or repeats', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.constantFrom('name', 'name desc', 'parent.name, name', 'id'), (limit, order) => {
        const all = ids(`select id from TypedContext order by ${order}, id`);
        const paged: unknown[] = [];
        let offset: number | null = 0;
        for (let guard = 0; offset !== null && guard < 100; guard += 1) {
          const page = run(`select id from TypedContext order by ${order}, id offset ${offset} limit ${limit}`);
          paged.push(...page.data.map((row) => row.id));
          offset = page.metadata.next.offset;
        }
        expect(paged).toEqual(all);
      }),
      { numRuns: 30 },
    );
  });

  it('splits every set in two with not, and combines with and/or like sets', () => {
    const total = ids('select id from Task').length;
    fc.assert(
      fc.property(fc.constantFrom(...CONDITIONS), fc.constantFrom(...CONDITIONS), (a, b) => {
        const yes = new Set(ids(`select id from Task where ${a}`));
        const no = new Set(ids(`select id from Task where not (${a})`));
        expect(yes.size + no.size).toBe(total);
        const other = new Set(ids(`select id from Task where ${b}`));
        const both = new Set(ids(`select id from Task where (${a}) and (${b})`));
        const either = new Set(ids(`select id from Task where (${a}) or (${b})`));
        expect(both).toEqual(new Set([...yes].filter((id) => other.has(id))));
        expect(either).toEqual(new Set([...yes, ...other]));
      }),
      { numRuns: 40 },
    );
  });

  it('never offers a next page that makes no progress', () => {
    expect(run('select id from Task limit 0').metadata.next.offset).toBeNull();
    expect(run('select id from Task offset 99 limit 5')).toEqual({ data: [], metadata: { next: { offset: null } } });
  });

  it('sorts missing values last ascending and first descending', () => {
    const ascending = run('select name, parent.name from Context order by parent.name, name').data;
    expect(ascending.slice(-2).map((row) => row.name)).toEqual(['mtn', 'scd']);
    const descending = run('select name from Context order by parent.name desc, name').data;
    expect(descending.slice(0, 2).map((row) => row.name)).toEqual(['mtn', 'scd']);
  });

  it('matches like case-insensitively and in against a subquery', () => {
    expect(run('select name from Project where full_name like "%MOUNTAIN%"').data.map((r) => r.name)).toEqual(['mtn']);
    const assigned = ids('select id from Task where id in (select context_id from Appointment where resource.username is "finn@acmevfx.example")');
    expect(run(`select name from Task where id is "${String(assigned[0])}"`).data.map((r) => r.name)).toEqual(['compositing']);
    expect(() => run('select id from Task where id in (select id, name from Task)')).toThrow(/exactly one attribute/);
  });
});
