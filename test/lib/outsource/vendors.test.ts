import { describe, expect, it } from 'vitest';
import { parseOutsourceSettings, vendorByCode, vendorsOfAssignees } from '../../../lib/outsource/index.ts';
import type { User } from '../../../lib/tracker/index.ts';

const settings = parseOutsourceSettings({
  vendors: {
    CompersInc: { name: 'Compers Inc', users: ['Emma@CompersInc.example'] },
    PaintCo: { name: 'Paint Co', groups: ['Paint Co'] },
  },
});
const user = (username: string, groups: string[] = [], email?: string): User => ({ id: username, username, name: username, groups, email });

describe('vendor of a task', () => {
  it('recognises vendor people by username or email (any case) and by tracker group', () => {
    expect(vendorsOfAssignees(settings, [user('emma@compersinc.example')]).map((v) => v.code)).toEqual(['CompersInc']);
    expect(vendorsOfAssignees(settings, [user('emma', [], 'EMMA@compersinc.example')]).map((v) => v.code)).toEqual(['CompersInc']);
    expect(vendorsOfAssignees(settings, [user('paul', ['Paint Co'])]).map((v) => v.code)).toEqual(['PaintCo']);
    expect(vendorsOfAssignees(settings, [user('finn', ['Artists'])])).toEqual([]);
    expect(vendorsOfAssignees(settings, [user('emma@compersinc.example'), user('paul', ['Paint Co'])]).map((v) => v.code)).toEqual(['CompersInc', 'PaintCo']);
  });

  it('finds a vendor by code regardless of case', () => {
    expect(vendorByCode(settings, 'paintco')?.code).toBe('PaintCo');
    expect(vendorByCode(settings, 'nobody')).toBeUndefined();
  });
});
