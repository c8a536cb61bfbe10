/**
 * Link fields the site keeps in step on both sides: setting a Task's `entity`
 * to a Shot lists the Task in the Shot's `tasks`, adding a user to a Group's
 * `users` adds the Group to the user's `groups`, and so on. The other side
 * changes without events of its own.
 */
import type { Row, Table } from './table.ts';
import type { Link } from './values.ts';

const PAIRS: [string, string][] = [
  ['Task.entity', 'Shot.tasks'],
  ['Task.entity', 'Asset.tasks'],
  ['Shot.sg_sequence', 'Sequence.shots'],
  ['HumanUser.groups', 'Group.users'],
  ['PublishedFile.version', 'Version.published_files'],
  ['Shot.assets', 'Asset.shots'],
  ['Sequence.assets', 'Asset.sequences'],
  ['Reply.entity', 'Note.replies'],
];

const INVERSE = new Map<string, string>();
for (const [a, b] of PAIRS) {
  INVERSE.set(`${a}>${b.split('.')[0]}`, b);
  INVERSE.set(`${b}>${a.split('.')[0]}`, a);
}

const asLinks = (value: unknown): Link[] => (Array.isArray(value) ? (value as Link[]) : value ? [value as Link] : []);
const same = (a: Link, b: Link): boolean => a.type === b.type && a.id === b.id;

/** The field on `targetType` that mirrors `type.field`, if the pair is kept in step. */
const inverseOf = (type: string, field: string, targetType: string): string | undefined => INVERSE.get(`${type}.${field}>${targetType}`)?.split('.')[1];

function detach(table: Table, target: Row, field: string, self: Link): void {
  const value = target.fields[field];
  if (Array.isArray(value)) table.set(target, field, (value as Link[]).filter((l) => !same(l, self)));
  else if (value && same(value as Link, self)) table.set(target, field, null);
}

function attach(table: Table, target: Row, field: string, self: Link, multi: boolean): void {
  if (multi) {
    const value = asLinks(target.fields[field]);
    if (!value.some((l) => same(l, self))) table.set(target, field, [...value, self]);
    return;
  }
  const previous = target.fields[field] as Link | null | undefined;
  if (previous && same(previous, self)) return;
  if (previous) {
    const owner = table.get(previous.type, previous.id);
    const back = owner && inverseOf(target.type, field, owner.type);
    if (owner && back) detach(table, owner, back, { type: target.type, id: target.id });
  }
  table.set(target, field, self);
}

/** Mirrors a change of `row.field` from `before` to `after` onto the linked records. */
export function mirror(table: Table, row: Row, field: string, before: unknown, after: unknown, isMulti: (type: string, field: string) => boolean): void {
  const self = { type: row.type, id: row.id };
  const old = asLinks(before);
  const now = asLinks(after);
  for (const link of old.filter((l) => !now.some((n) => same(n, l)))) {
    const target = table.get(link.type, link.id);
    const back = target && inverseOf(row.type, field, target.type);
    if (target && back) detach(table, target, back, self);
  }
  for (const link of now.filter((l) => !old.some((o) => same(o, l)))) {
    const target = table.get(link.type, link.id);
    const back = target && inverseOf(row.type, field, target.type);
    if (target && back) attach(table, target, back, self, isMulti(target.type, back));
  }
}
