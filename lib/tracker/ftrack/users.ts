/**
 * Users and their groups (ftrack Memberships), looked up by id, exact username
 * or case-insensitive email, and the API user's own id for default authorship.
 */
import { isHandoffError } from '../../core/errors.ts';
import { HandoffError } from '../../core/errors.ts';
import type { User } from '../types.ts';
import { q } from './connection.ts';
import type { FtrackConnection, Row } from './connection.ts';
import { str, toUser } from './mapping.ts';

const FIELDS = 'id, username, first_name, last_name, email';

export function createUserDirectory(conn: FtrackConnection, apiUser: string) {
  let me: Promise<string> | undefined;
  /** Set false when the server has no Membership entity, so it is not asked again. */
  let membershipsKnown = true;

  /** Group names per user id; a server without Memberships answers none. */
  const groupsOf = async (ids: string[]): Promise<Map<string, string[]>> => {
    const groups = new Map<string, string[]>();
    let rows: Row[] = [];
    try {
      if (membershipsKnown) rows = await conn.queryIn((list) => `select user_id, group.name from Membership where user_id in (${list})`, ids);
    } catch (err) {
      if (!isHandoffError(err, 'FTRACK_QUERY_FAILED')) throw err;
      membershipsKnown = false;
    }
    for (const r of rows) {
      const name = str((r['group'] as Row | undefined)?.['name']);
      if (name) groups.set(str(r['user_id']), [...(groups.get(str(r['user_id'])) ?? []), name]);
    }
    return groups;
  };
  const withGroups = async (rows: Row[]): Promise<User[]> => {
    const groups = await groupsOf(rows.map((r) => str(r['id'])));
    return rows.map((r) => toUser(r, groups.get(str(r['id']))));
  };

  const find = async (by: { id: string } | { username: string } | { email: string }): Promise<Row | undefined> => {
    if ('id' in by) return (await conn.query(`select ${FIELDS} from User where id is ${q`${by.id}`}`))[0];
    if ('username' in by) return (await conn.query(`select ${FIELDS} from User where username is ${q`${by.username}`}`)).find((r) => r['username'] === by.username);
    const wanted = by.email.toLowerCase();
    const exact = await conn.query(`select ${FIELDS} from User where email is ${q`${by.email}`}`);
    const rows = exact.length ? exact : await conn.query(`select ${FIELDS} from User where email like ${q`${by.email.replace(/[%_]/g, '\\$&')}`}`);
    return rows.find((r) => str(r['email']).toLowerCase() === wanted);
  };

  return {
    async get(by: { id: string } | { username: string } | { email: string }): Promise<User | undefined> {
      const row = await find(by);
      return row ? (await withGroups([row]))[0] : undefined;
    },
    async byIds(ids: string[]): Promise<Map<string, User>> {
      const rows = await conn.queryIn((list) => `select ${FIELDS} from User where id in (${list})`, ids.filter(Boolean));
      return new Map((await withGroups(rows)).map((u) => [u.id, u]));
    },
    /** The id of the API user, asked once. */
    meId(): Promise<string> {
      me ??= find({ username: apiUser }).then((row) => {
        if (row) return str(row['id']);
        me = undefined;
        throw new HandoffError('FTRACK_NOT_FOUND', `The API user ${apiUser} has no User in ftrack.`, { hint: 'Use the user name of an ftrack user as the API user.' });
      });
      return me;
    },
  };
}
