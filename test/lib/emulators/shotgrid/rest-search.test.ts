import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARRAY, HASH, startRest, type RestFixture, type Wire } from './fixture.ts';

let f: RestFixture;
beforeAll(async () => {
  f = await startRest();
});
afterAll(() => f.close());

const names = (body: Wire): string[] => body.data.map((r: Wire) => r.attributes.content ?? r.attributes.code);

describe('ShotGrid emulator REST: _search and lists', () => {
  it('takes only the vendor content types (415 on plain JSON)', async () => {
    const plain = await f.call('POST', '/entity/tasks/_search', { filters: [] });
    expect(plain.status).toBe(415);
    expect(plain.body.errors[0].source.content_type).toContain(ARRAY);
    const hashAsArray = await f.call('POST', '/entity/tasks/_search', { filters: { logical_operator: 'and', conditions: [] } }, ARRAY);
    expect(hashAsArray.body.errors[0].title).toBe('Query is not an Array');
    const arrayAsHash = await f.call('POST', '/entity/tasks/_search', { filters: [] }, HASH);
    expect(arrayAsHash.body.errors[0].title).toBe('Query is not an Hash');
    const missing = await f.call('POST', '/entity/tasks/_search', { filters: { conditions: [] } }, HASH);
    expect(missing.body.errors[0].title).toBe('Missing logical operator');
  });

  it('evaluates array filters (AND) and nested hash filters with dotted paths', async () => {
    const array = await f.call('POST', '/entity/tasks/_search', { filters: [['project.Project.code', 'is', 'scd'], ['content', 'in', ['cleanup', 'roto']], ['entity.Shot.sg_sequence.Sequence.code', 'is', '0010']], fields: 'content,entity.Shot.code', sort: 'content' }, ARRAY);
    expect(array.status).toBe(200);
    expect(array.body.data.map((r: Wire) => [r.attributes.content, r.attributes['entity.Shot.code']])).toEqual([['cleanup', '0010'], ['roto', '0020']]);
    const hash = await f.call(
      'POST',
      '/entity/tasks/_search',
      {
        filters: {
          logical_operator: 'and',
          conditions: [
            ['task_assignees', 'name_contains', 'emma'],
            { logical_operator: 'or', conditions: [['project', 'is', { type: 'Project', id: 2 }], ['entity.Shot.code', 'starts_with', '002']] },
          ],
        },
        fields: ['content', 'project'],
      },
      HASH,
    );
    expect(hash.body.data.map((r: Wire) => [r.attributes.content, r.relationships.project.data.name])).toEqual([
      ['roto', 'Something Completely Different'],
      ['cleanup', 'Mountain Lake'],
    ]);
  });

  it('answers 400 listing the valid relations, and 400 for unknown fields', async () => {
    const relation = await f.call('POST', '/entity/shots/_search', { filters: [['sg_cut_in', 'contains', 1]] }, ARRAY);
    expect(relation.status).toBe(400);
    expect(relation.body.errors[0].title).toBe("API read() Shot.sg_cut_in's 'number' data type doesn't support 'contains' 'relation'");
    expect(relation.body.errors[0].source.relation).toBe('Valid relations: is, is_not, less_than, greater_than, between, not_between, in, not_in');
    const field = await f.call('POST', '/entity/versions/_search', { filters: [['sg_not_a_field', 'is', 1]] }, ARRAY);
    expect(field.body.errors[0]).toMatchObject({ status: 400, code: 103, title: "API read() Version.sg_not_a_field doesn't exist." });
    const isList = await f.call('POST', '/entity/shots/_search', { filters: [['code', 'is', 'a', 'b']] }, ARRAY);
    expect(isList.body.errors[0].title).toContain('expects a 1-element array');
  });

  it('filters numbers with between (both spellings) and dates with in_last', async () => {
    const nested = await f.call('POST', '/entity/shots/_search', { filters: [['sg_cut_out', 'between', [1040, 1060]]], fields: 'code' }, ARRAY);
    const flat = await f.call('POST', '/entity/shots/_search', { filters: [['sg_cut_out', 'between', 1040, 1060]], fields: 'code' }, ARRAY);
    expect(nested.body.data.map((r: Wire) => r.id)).toEqual([2, 4]);
    expect(flat.body.data.map((r: Wire) => r.id)).toEqual([2, 4]);
    const recent = await f.call('POST', '/entity/shots/_search', { filters: [['created_at', 'in_last', [1, 'DAY']]] }, ARRAY);
    expect(recent.body.data).toHaveLength(4);
  });

  it('pages by page[size]/page[number] (query or body) with links.next even on an empty page', async () => {
    const first = await f.call('GET', '/entity/tasks?fields=content&page[size]=2&page[number]=1&sort=-id');
    expect(first.body.data.map((r: Wire) => r.id)).toEqual([5, 4]);
    expect(first.body.links.next).toContain('page[number]=2');
    expect(first.body.links.prev).toBeUndefined();
    const last = await f.call('POST', '/entity/tasks/_search', { filters: [], page: { size: 2, number: 4 } }, ARRAY);
    expect(last.body.data).toEqual([]);
    expect(last.body.links.next).toContain('page[number]=5');
    expect(last.body.links.prev).toContain('page[number]=3');
    const tooBig = await f.call('GET', '/entity/tasks?page[size]=5001');
    expect(tooBig.body.errors[0].source).toEqual({ page: { size: ['must be less than 5000'] } });
  });

  it('lists with filter[path]=value as an is filter, ignoring unknown fields and sort keys', async () => {
    const list = await f.call('GET', '/entity/shots?filter[project.Project.id]=1&fields=code,sg_nonsense&sort=sg_nonsense');
    expect(list.body.data.map((r: Wire) => r.id)).toEqual([1, 2, 3]);
    expect(list.body.data[0].attributes).toEqual({ code: '0010' });
    expect(list.body.data[0].relationships).toEqual({});
  });

  it('accepts the slug spellings of a type and 404s unknown ones', async () => {
    for (const slug of ['Shot', 'shot', 'shots', 'Shots']) expect((await f.call('GET', `/entity/${slug}/1?fields=code`)).body.data.attributes.code).toBe('0010');
    expect((await f.call('GET', '/entity/published_files')).status).toBe(200);
    expect((await f.call('GET', '/entity/PublishedFile')).status).toBe(200);
    const unknown = await f.call('GET', '/entity/publishedfiles');
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors[0]).toMatchObject({ code: 103, detail: "Entity type 'publishedfiles' does not exist." });
  });

  it('summarizes record counts with grouping', async () => {
    const summary = await f.call('POST', '/entity/tasks/_summarize', { filters: [], summary_fields: [{ field: 'id', type: 'record_count' }], grouping: [{ field: 'project', type: 'exact', direction: 'asc' }] }, ARRAY);
    expect(summary.body.data.summaries).toEqual({ id: 5 });
    expect(summary.body.data.groups.map((g: Wire) => [g.group_name, g.summaries.id])).toEqual([['Mountain Lake', 1], ['Something Completely Different', 4]]);
  });
});

describe('the demo seed on ShotGrid', () => {
  it('is the same studio as on ftrack: users, groups, statuses, projects, shots, tasks and notes', async () => {
    const users = await f.call('GET', '/entity/human_users?fields=login,groups&sort=id');
    expect(users.body.data.map((u: Wire) => u.attributes.login)).toEqual(['pipeline@acmevfx.example', 'cora@acmevfx.example', 'emma@compersinc.example', 'finn@acmevfx.example']);
    expect(users.body.data[2].relationships.groups.data).toEqual([{ type: 'Group', id: 3, name: 'Compers Inc' }]);
    expect((await f.call('GET', '/entity/groups/3?fields=users')).body.data.relationships.users.data).toEqual([{ type: 'HumanUser', id: 3, name: 'Emma Compers' }]);
    const statuses = await f.call('GET', '/entity/statuses?fields=code,name');
    expect(statuses.body.data.map((s: Wire) => `${s.attributes.code}=${s.attributes.name}`)).toEqual(['wtg=Not started', 'rdy=Ready to start', 'ip=In progress', 'osr=Outsourced', 'rev=Pending review', 'rtk=Retake', 'apr=Approved', 'hld=On hold']);
    const projects = await f.call('GET', '/entity/projects?fields=name,code,sg_frame_rate,sg_resolution_width,sg_resolution_height,sg_colour_space');
    expect(projects.body.data[0].attributes).toEqual({ name: 'Something Completely Different', code: 'scd', sg_frame_rate: 24, sg_resolution_width: 1920, sg_resolution_height: 1080, sg_colour_space: 'ACEScg' });
    const shot = await f.call('GET', '/entity/shots/1?fields=sg_cut_in,sg_cut_out,sg_head_in,sg_tail_out');
    expect(shot.body.data.attributes).toEqual({ sg_cut_in: 1001, sg_cut_out: 1100, sg_head_in: 993, sg_tail_out: 1108 });
    const notes = await f.call('GET', '/entity/notes?fields=content,tasks,user,note_links');
    expect(notes.body.data[0].relationships.user.data.name).toBe('Cora Coordinator');
    expect(notes.body.data[0].relationships.tasks.data).toEqual([{ type: 'Task', id: 1, name: 'cleanup' }]);
    expect(names((await f.call('GET', '/entity/steps?fields=code')).body)).toEqual(['Cleanup', 'Compositing', 'Roto', 'Matchmove', 'Lighting']);
  });
});
