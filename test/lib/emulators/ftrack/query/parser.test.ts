import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../../../lib/core/errors.ts';
import { parseQuery } from '../../../../../lib/emulators/ftrack/query/index.ts';
import { ApiError } from '../../../../../lib/emulators/ftrack/errors.ts';

function parseError(source: string): ApiError {
  try {
    parseQuery(source);
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error(`expected ${source} to fail`);
}

describe('parseQuery', () => {
  it('reads projections, type, condition, order and paging', () => {
    const query = parseQuery('select id, parent.name, custom_attributes from Task where name is "comp" order by name desc, id limit 5 offset 10');
    expect(query.entityType).toBe('Task');
    expect(query.select).toEqual([['id'], ['parent', 'name'], ['custom_attributes']]);
    expect(query.where).toEqual({ kind: 'compare', path: ['name'], op: '=', value: { kind: 'string', value: 'comp' } });
    expect(query.orderBy).toEqual([
      { path: ['name'], direction: 'desc' },
      { path: ['id'], direction: 'asc' },
    ]);
    expect([query.limit, query.offset]).toEqual([5, 10]);
  });

  it('accepts offset before limit and queries without select', () => {
    const query = parseQuery('Task where id is 6e4c4a8a-0f1e-4c34-9d1b-1d2a3b4c5d6e offset 2 limit 3');
    expect(query.select).toBeUndefined();
    expect(query.where).toMatchObject({ value: { kind: 'bare', value: '6e4c4a8a-0f1e-4c34-9d1b-1d2a3b4c5d6e' } });
    expect([query.limit, query.offset]).toEqual([3, 2]);
  });

  it('binds and tighter than or, and honours parentheses and not', () => {
    const flat = parseQuery('Task where a is 1 or b is 2 and c is 3').where;
    expect(flat).toMatchObject({ kind: 'or', right: { kind: 'and' } });
    const grouped = parseQuery('Task where (a is 1 or b is 2) and not c is 3').where;
    expect(grouped).toMatchObject({ kind: 'and', left: { kind: 'or' }, right: { kind: 'not', operand: { kind: 'compare' } } });
  });

  it('maps every comparison spelling', () => {
    const ops = ['is', 'is_not', '=', '!=', '<', '>', '<=', '>=', 'after', 'before', 'greater_than', 'less_than', 'like', 'not_like'];
    const parsed = ops.map((op) => (parseQuery(`Task where x ${op} "v"`).where as { op: string }).op);
    expect(parsed).toEqual(['=', '!=', '=', '!=', '<', '>', '<=', '>=', '>', '<', '>', '<', 'like', 'not_like']);
  });

  it('reads none, true, false, numbers, escapes and single quotes', () => {
    const values = ['none', 'None', 'null', 'true', 'False', '42', '"say \\"hi\\""', "'it\\'s'"].map(
      (v) => (parseQuery(`Task where x is ${v}`).where as { value: unknown }).value,
    );
    expect(values).toEqual([
      { kind: 'null' },
      { kind: 'null' },
      { kind: 'null' },
      { kind: 'boolean', value: true },
      { kind: 'boolean', value: false },
      { kind: 'bare', value: '42' },
      { kind: 'string', value: 'say "hi"' },
      { kind: 'string', value: "it's" },
    ]);
  });

  it('reads lists, empty lists and subqueries after in', () => {
    expect(parseQuery('Task where id in (a, "b", 3)').where).toMatchObject({
      op: 'in',
      value: { kind: 'list', items: [{ value: 'a' }, { value: 'b' }, { value: '3' }] },
    });
    expect(parseQuery('Task where id not_in ()').where).toMatchObject({ op: 'not_in', value: { kind: 'list', items: [] } });
    const sub = parseQuery('Task where id in (select task_id from AssetVersion where version > 2 limit 1)').where;
    expect(sub).toMatchObject({ value: { kind: 'subquery', query: { entityType: 'AssetVersion', select: [['task_id']], limit: 1 } } });
  });

  it('reads has and any with and without conditions, and = without spaces', () => {
    expect(parseQuery('Note where author has (first_name is "Jane")').where).toMatchObject({ kind: 'exists', quantifier: 'has', path: ['author'] });
    expect(parseQuery('User where not timelogs any ()').where).toMatchObject({ kind: 'not', operand: { kind: 'exists', condition: undefined } });
    expect(parseQuery('Project where metadata any (key=some_key and value=some_value)').where).toMatchObject({
      kind: 'exists',
      condition: { kind: 'and', left: { path: ['key'], op: '=', value: { value: 'some_key' } } },
    });
  });

  it('accepts the composite key form without a space before and', () => {
    const where = parseQuery('CustomAttributeValue where (configuration_id is "x"and entity_id is "y") or (configuration_id is "z"and entity_id is "w")').where;
    expect(where).toMatchObject({ kind: 'or', left: { kind: 'and' }, right: { kind: 'and' } });
  });

  it('reports syntax errors as the server validation error with the position', () => {
    const cases = ['select from Task', 'select name Task', 'Task where', 'Task where name', 'Task where name is', 'Task where (name is 1', 'Task limit x', 'Task where name is "open', 'Task order name', 'Task where name ~ 1', 'Task limit 1 limit 2'];
    for (const source of cases) {
      const error = parseError(source);
      expect(error.exception, source).toBe('ValidationError');
      expect(isHandoffError(error, 'FTRACK_EMULATOR_VALIDATION')).toBe(true);
      expect(error.message, source).toMatch(/position \d+|Unterminated|Unexpected/);
    }
  });

  it('either parses or answers a validation error for any input', () => {
    const pieces = ['select', 'from', 'where', 'Task', 'name', 'parent.name', 'is', 'and', 'or', 'not', '(', ')', ',', '"x"', "'y'", '=', '!=', '<=', 'in', 'has', 'any', 'order', 'by', 'desc', 'limit', 'offset', '3', 'none', '\\', '"', '!', '#'];
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.constantFrom(...pieces), { maxLength: 14 }).map((words) => words.join(' '))), (source) => {
        try {
          expect(parseQuery(source).entityType).toMatch(/^[A-Za-z_]\w*$/);
        } catch (err) {
          expect(err).toBeInstanceOf(ApiError);
          expect((err as ApiError).exception).toBe('ValidationError');
        }
      }),
      { numRuns: 500 },
    );
  });
});
