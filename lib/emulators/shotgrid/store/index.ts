export { Table, type Row, type TableSnapshot } from './table.ts';
export { Records, type Actor } from './records.ts';
export { EventLog, type NamedLink } from './events.ts';
export { coerce, isLink, nowDateTime, toDateTime, type Link, type MultiMode } from './values.ts';
