/** The ftrack query language: parse, evaluate, project. */
export type { Comparison, Condition, Literal, OrderBy, Query } from './ast.ts';
export { parseQuery } from './parser.ts';
export { tokenize, type Token } from './tokenizer.ts';
export { executeQuery, selectRecords, type QueryResult } from './execute.ts';
export { serialize, serializeScalars, projectionTree, type ProjectionTree } from './project.ts';
