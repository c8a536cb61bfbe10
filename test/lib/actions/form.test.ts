import { describe, expect, it } from 'vitest';
import { field, form, formValues } from '../../../lib/actions/index.ts';

describe('form helpers', () => {
  it('build the tracker form items', () => {
    expect(form('Outsource', [field.text('comment', 'Comment', 'hi'), field.choices('vendor', 'Vendors', ['a', { label: 'B', value: 'b' }], ['a'])], 'Send')).toEqual({
      type: 'form',
      title: 'Outsource',
      submitButtonLabel: 'Send',
      items: [
        { type: 'text', name: 'comment', label: 'Comment', value: 'hi' },
        { type: 'enumerator', name: 'vendor', label: 'Vendors', data: [{ label: 'a', value: 'a' }, { label: 'B', value: 'b' }], value: ['a'], multiSelect: true },
      ],
    });
    expect(field.boolean('urgent', 'Urgent')).toEqual({ type: 'boolean', name: 'urgent', label: 'Urgent', value: false });
    expect(field.hidden('step', '2')).toEqual({ type: 'hidden', name: 'step', value: '2' });
  });

  it('read loosely typed values as the types asked for', () => {
    const v = formValues({ frames: '24', urgent: 'true', off: false, vendors: 'a', many: ['a', 'b'], blank: '' });
    expect(v.number('frames')).toBe(24);
    expect(v.number('blank', 7)).toBe(7);
    expect(v.boolean('urgent')).toBe(true);
    expect(v.boolean('off', true)).toBe(false);
    expect(v.list('vendors')).toEqual(['a']);
    expect(v.list('many')).toEqual(['a', 'b']);
    expect(v.list('missing')).toEqual([]);
    expect(v.text('many')).toBe('a, b');
    expect(v.has('blank')).toBe(false);
    expect(formValues(undefined).text('x', 'fallback')).toBe('fallback');
  });

  it('name the field a person filled in wrongly', () => {
    expect(() => formValues({ frames: 'lots' }).number('frames')).toThrow(expect.objectContaining({ code: 'ACTION_FORM_INVALID', details: { field: 'frames', expected: 'a number', value: 'lots' } }));
    expect(() => formValues({ urgent: 'maybe' }).boolean('urgent')).toThrow(/"urgent" should be yes or no/);
  });
});
