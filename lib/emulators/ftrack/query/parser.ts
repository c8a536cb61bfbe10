/**
 * Recursive-descent parser for the ftrack query language:
 *
 *   query      := ["select" path ("," path)* "from"] Type ["where" expr] (order | limit | offset)*
 *   expr       := and ("or" and)*            and := unary ("and" unary)*
 *   unary      := "not" unary | "(" expr ")" | path condition
 *   condition  := op value | ("has" | "any") "(" [expr] ")"
 *   value      := string | word | none | true | false | "(" [value ("," value)*] ")" | "(" query ")"
 */
import { validationError } from '../errors.ts';
import type { Comparison, Condition, Literal, OrderBy, Query } from './ast.ts';
import { tokenize, type Token } from './tokenizer.ts';

const WORD_OPERATORS: Record<string, Comparison> = {
  is: '=',
  is_not: '!=',
  in: 'in',
  not_in: 'not_in',
  like: 'like',
  not_like: 'not_like',
  after: '>',
  greater_than: '>',
  before: '<',
  less_than: '<',
};

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

class Parser {
  private readonly tokens: Token[];
  private readonly source: string;
  private index = 0;

  constructor(source: string) {
    this.source = source;
    this.tokens = tokenize(source);
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index += 1;
    return token;
  }

  private isWord(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'word' && token.text.toLowerCase() === word;
  }

  private fail(expected: string): never {
    const token = this.peek();
    const found = token.kind === 'end' ? 'the end of the query' : JSON.stringify(token.text);
    throw validationError(`Unable to parse query ${JSON.stringify(this.source)}: expected ${expected} at position ${token.at}, found ${found}.`, {
      query: this.source,
      position: token.at,
    });
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) this.fail(`"${word}"`);
    this.next();
  }

  private expectPunct(text: '(' | ')' | ','): void {
    const token = this.peek();
    if (token.kind !== 'punct' || token.text !== text) this.fail(`"${text}"`);
    this.next();
  }

  private isPunct(text: '(' | ')' | ','): boolean {
    const token = this.peek();
    return token.kind === 'punct' && token.text === text;
  }

  private path(): string[] {
    const token = this.peek();
    const parts = token.kind === 'word' ? token.text.split('.') : [];
    if (!parts.length || !parts.every((part) => IDENTIFIER.test(part))) this.fail('an attribute name');
    this.next();
    return parts;
  }

  private integer(clause: string): number {
    const token = this.peek();
    if (token.kind !== 'word' || !/^\d+$/.test(token.text)) this.fail(`a whole number after "${clause}"`);
    this.next();
    return Number(token.text);
  }

  query(nested: boolean): Query {
    let select: string[][] | undefined;
    if (this.isWord('select')) {
      this.next();
      select = [this.path()];
      while (this.isPunct(',')) {
        this.next();
        select.push(this.path());
      }
      this.expectWord('from');
    }
    const typeToken = this.peek();
    if (typeToken.kind !== 'word' || !IDENTIFIER.test(typeToken.text)) this.fail('an entity type');
    this.next();
    const query: Query = { entityType: typeToken.text, select, where: undefined, orderBy: [], limit: undefined, offset: undefined };
    if (this.isWord('where')) {
      this.next();
      query.where = this.expression();
    }
    this.clauses(query);
    const done = nested ? this.isPunct(')') : this.peek().kind === 'end';
    if (!done) this.fail(nested ? '")"' : '"where", "order by", "limit", "offset" or the end of the query');
    return query;
  }

  private clauses(query: Query): void {
    for (let guard = 0; guard < 3; guard += 1) {
      if (this.isWord('order') && !query.orderBy.length) {
        this.next();
        this.expectWord('by');
        query.orderBy = this.ordering();
      } else if (this.isWord('limit') && query.limit === undefined) {
        this.next();
        query.limit = this.integer('limit');
      } else if (this.isWord('offset') && query.offset === undefined) {
        this.next();
        query.offset = this.integer('offset');
      } else {
        return;
      }
    }
  }

  private ordering(): OrderBy[] {
    const items: OrderBy[] = [];
    do {
      if (items.length) this.next();
      const path = this.path();
      let direction: OrderBy['direction'] = 'asc';
      if (this.isWord('desc') || this.isWord('descending')) direction = 'desc';
      if (direction === 'desc' || this.isWord('asc') || this.isWord('ascending')) this.next();
      items.push({ path, direction });
    } while (this.isPunct(','));
    return items;
  }

  private expression(): Condition {
    let left = this.conjunction();
    while (this.isWord('or')) {
      this.next();
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.unary();
    while (this.isWord('and')) {
      this.next();
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Condition {
    if (this.isWord('not')) {
      this.next();
      return { kind: 'not', operand: this.unary() };
    }
    if (this.isPunct('(')) {
      this.next();
      const inner = this.expression();
      this.expectPunct(')');
      return inner;
    }
    const path = this.path();
    if (this.isWord('has') || this.isWord('any')) {
      const quantifier = this.next().text.toLowerCase() as 'has' | 'any';
      this.expectPunct('(');
      const condition = this.isPunct(')') ? undefined : this.expression();
      this.expectPunct(')');
      return { kind: 'exists', path, quantifier, condition };
    }
    const token = this.peek();
    const op = token.kind === 'op' ? token.text : token.kind === 'word' ? WORD_OPERATORS[token.text.toLowerCase()] : undefined;
    if (!op) this.fail('an operator (is, is_not, =, !=, <, >, <=, >=, in, not_in, like, not_like, has, any)');
    this.next();
    return { kind: 'compare', path, op, value: this.value() };
  }

  private value(): Literal {
    const token = this.peek();
    if (token.kind === 'string') {
      this.next();
      return { kind: 'string', value: token.text };
    }
    if (token.kind === 'word') {
      this.next();
      const lower = token.text.toLowerCase();
      if (lower === 'none' || lower === 'null') return { kind: 'null' };
      if (lower === 'true' || lower === 'false') return { kind: 'boolean', value: lower === 'true' };
      return { kind: 'bare', value: token.text };
    }
    if (!this.isPunct('(')) this.fail('a value');
    this.next();
    if (this.isWord('select')) {
      const query = this.query(true);
      this.expectPunct(')');
      return { kind: 'subquery', query };
    }
    const items: Literal[] = [];
    while (!this.isPunct(')')) {
      if (items.length) this.expectPunct(',');
      items.push(this.value());
    }
    this.next();
    return { kind: 'list', items };
  }
}

/** Parses a query; syntax errors are the server's ValidationError. */
export function parseQuery(source: string): Query {
  return new Parser(source).query(false);
}
