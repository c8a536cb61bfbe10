/**
 * Site-wide lookups the tracker makes often: HumanUsers (by id, exact login,
 * case-insensitive email, with their Group names) and the task statuses (the
 * Task status list's codes that have a Status row, in the site's Status
 * order, with workflow states). Statuses are read once per tracker.
 */
import type { Status, User } from '../types.ts';
import type { FlatRecord, ShotgridClient } from './client/index.ts';
import { sgId, str, toStatus, toUser, USER_FIELDS } from './mapping.ts';
import type { ResolvedShotgridOptions } from './options.ts';

export interface Directory {
  user(by: { id: string } | { username: string } | { email: string }): Promise<User | undefined>;
  /** Users by id, in one request; unknown ids are left out. */
  users(ids: (string | number)[]): Promise<Map<string, User>>;
  statuses(): Promise<Status[]>;
}

export function createDirectory(client: ShotgridClient, options: ResolvedShotgridOptions): Directory {
  let statuses: Promise<Status[]> | undefined;
  const findUsers = (filters: Parameters<ShotgridClient['findAll']>[1]): Promise<FlatRecord[]> => client.findAll('HumanUser', filters, { fields: USER_FIELDS, pageSize: options.pageSize });

  async function readStatuses(): Promise<Status[]> {
    const [choices, rows] = await Promise.all([client.schema.statuses('Task'), client.findAll('Status', [], { fields: ['code', 'name'], pageSize: options.pageSize })]);
    const offered = new Set(choices.map((c) => c.code));
    return rows.filter((r) => offered.has(str(r['code']))).map((r) => toStatus(str(r['code']), str(r['name']), options));
  }

  return {
    async user(by) {
      if ('id' in by) {
        const id = sgId(by.id);
        return id === undefined ? undefined : (await findUsers([['id', 'is', id]])).map(toUser)[0];
      }
      if ('username' in by) return (await findUsers([['login', 'is', by.username]])).map(toUser).find((u) => u.username === by.username);
      const wanted = by.email.toLowerCase();
      const exact = (await findUsers([['email', 'is', by.email]])).map(toUser).find((u) => u.email?.toLowerCase() === wanted);
      // ShotGrid's text `is` may compare case-sensitively: fall back to reading every user once.
      return exact ?? (await findUsers([])).map(toUser).find((u) => u.email?.toLowerCase() === wanted);
    },
    async users(ids) {
      const wanted = [...new Set(ids.map((id) => sgId(String(id))).filter((id): id is number => id !== undefined))];
      if (!wanted.length) return new Map();
      return new Map((await findUsers([['id', 'in', wanted]])).map((r) => [String(r.id), toUser(r)]));
    },
    statuses() {
      statuses ??= readStatuses().catch((err: unknown) => {
        statuses = undefined;
        throw err;
      });
      return statuses;
    },
  };
}
