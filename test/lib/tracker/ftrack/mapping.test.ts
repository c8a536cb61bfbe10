import { describe, expect, it } from 'vitest';
import { attributesOf, pick, toDate, toStatus } from '../../../../lib/tracker/ftrack/mapping.ts';
import { checkFtrackOptions } from '../../../../lib/tracker/ftrack/options.ts';
import { orderedId } from '../../../../lib/tracker/ftrack/publish-plan.ts';

describe('ftrack row mapping', () => {
  it('reads datetimes as UTC whether or not they carry a zone', () => {
    expect(toDate('2026-03-02T09:00:00').toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(toDate('2026-03-02T09:00:00.000Z').toISOString()).toBe('2026-03-02T09:00:00.000Z');
    expect(toDate({ __type__: 'datetime', value: '2026-03-02T10:00:00+01:00' }).toISOString()).toBe('2026-03-02T09:00:00.000Z');
  });

  it('takes spec values from the most specific level that sets one, by the first configured key', () => {
    const keys = checkFtrackOptions({ serverUrl: 'http://127.0.0.1:1', user: 'u', apiKey: 'k' }).keys;
    const shot = attributesOf({ custom_attributes: [{ key: 'fps', value: null }, { key: 'fstart', value: 1001 }] });
    const project = attributesOf({ custom_attributes: { fps: 24, colorspace: 'ACEScg' } });
    expect(pick([shot, project], keys, 'fps')).toBe(24);
    expect(pick([shot, project], keys, 'frameStart')).toBe(1001);
    expect(pick([shot, project], keys, 'colourSpace')).toBe('ACEScg');
    expect(pick([shot, project], keys, 'handles')).toBeUndefined();
  });

  it('maps status states, falling back to the state name', () => {
    expect(toStatus({ id: 's', name: 'Approved', state: { short: 'DONE' } }).state).toBe('done');
    expect(toStatus({ id: 's', name: 'On hold', state: { name: 'Blocked' } }).state).toBe('blocked');
  });

  it('makes component ids that sort in creation order and are version 7 uuids', () => {
    const ids = Array.from({ length: 500 }, () => orderedId());
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
