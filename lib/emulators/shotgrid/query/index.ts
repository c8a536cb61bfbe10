export { parseArrayFilters, parseHashFilters, parseRpcFilters, type Condition, type FilterNode } from './filters.ts';
export { compile, find, type FindOptions, type SortKey } from './find.ts';
export { resolvePath, valuesAt, type ResolvedPath } from './paths.ts';
export { RELATIONS } from './relations.ts';
export { summarize, type Grouping, type SummaryField } from './summarize.ts';
