/** The parsed form of an ftrack query. */

export type Literal =
  | { kind: 'string'; value: string }
  /** An unquoted value: a number, uuid, enum name or date, typed by the attribute it meets. */
  | { kind: 'bare'; value: string }
  | { kind: 'null' }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'list'; items: Literal[] }
  | { kind: 'subquery'; query: Query };

export type Comparison = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'in' | 'not_in' | 'like' | 'not_like';

export type Condition =
  | { kind: 'and' | 'or'; left: Condition; right: Condition }
  | { kind: 'not'; operand: Condition }
  | { kind: 'compare'; path: string[]; op: Comparison; value: Literal }
  /** `has` on a reference or `any` on a collection; no condition means "exists". */
  | { kind: 'exists'; path: string[]; quantifier: 'has' | 'any'; condition: Condition | undefined };

export interface OrderBy {
  path: string[];
  direction: 'asc' | 'desc';
}

export interface Query {
  entityType: string;
  /** Attribute paths; undefined when the query had no `select`. */
  select: string[][] | undefined;
  where: Condition | undefined;
  orderBy: OrderBy[];
  limit: number | undefined;
  offset: number | undefined;
}
