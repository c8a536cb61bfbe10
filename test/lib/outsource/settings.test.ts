import { describe, expect, it } from 'vitest';
import { isHandoffError } from '../../../lib/core/errors.ts';
import { loadConfig, shippedDefaultConfig } from '../../../lib/core/config/index.ts';
import { parseOutsourceSettings, ruleFor, settingsFromConfig, vendorHome, volumeOf } from '../../../lib/outsource/index.ts';

describe('OutsourceSettings', () => {
  it('fills sensible defaults', () => {
    const settings = parseOutsourceSettings({ volumes: { proj: '/mnt/proj' }, vendors: { CompersInc: { name: 'Compers Inc', users: ['emma@compersinc.example'] } } });
    expect(settings.names.job).toBe('Outsource - download - {project} - {vendor} - {yymmdd}');
    expect(settings.paths.plates).toBe('{project}/{sequence}/{shot}/src/plates');
    expect(settings.tracker).toEqual({ status: 'Outsourced', note: true });
    expect(settings.vendors.CompersInc).toMatchObject({ folders: { toClient: 'TO_CLIENT', fromClient: 'FROM_CLIENT' }, priority: 500, groups: [] });
    expect(vendorHome('CompersInc', settings.vendors.CompersInc!)).toBe('_VENDORS/CompersInc');
    expect(volumeOf(settings, 'scd')).toBe('proj');
    expect(ruleFor(settings, 'Anything').send).toEqual([{ template: 'plates', globs: ['**/*'], optional: false }]);
  });

  it('reports every problem at once with the key it concerns', () => {
    let caught: unknown;
    try {
      parseOutsourceSettings({
        volumes: { proj: '/mnt/proj' },
        defaultVolume: 'nas',
        vendors: {
          A: { name: 'A', users: ['x@a.example'], home: '../up' },
          B: { name: 'B' },
        },
      });
    } catch (err) {
      caught = err;
    }
    expect(isHandoffError(caught, 'OUTSOURCE_SETTINGS_INVALID')).toBe(true);
    const problems = (caught as { details: { problems: string[] } }).details.problems;
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('vendors.A.home: expected a relative folder inside the volume');
    expect(problems.join('\n')).toContain('vendors.B.users: expected users or groups');
  });

  it('cross-checks volumes and users claimed by two vendors', () => {
    expect(() =>
      parseOutsourceSettings({
        volumes: { proj: '/p' },
        defaultVolume: 'nas',
        vendors: { A: { name: 'A', users: ['x@v.example'] }, B: { name: 'B', users: ['X@v.example'] } },
      }),
    ).toThrow(/defaultVolume: unknown volume "nas"[\s\S]*vendors\.B\.users: "X@v\.example" already identifies vendor A/);
  });

  it('finds rules by task type regardless of case, with per-type tracker overrides', () => {
    const settings = parseOutsourceSettings({ rules: { default: { send: [] }, Compositing: { send: ['plates'], note: false, status: null } } });
    expect(ruleFor(settings, 'compositing')).toEqual({ send: [{ template: 'plates', globs: ['**/*'], optional: false }], status: null, note: false });
    expect(ruleFor(settings, 'roto')).toEqual({ send: [], status: 'Outsourced', note: true });
  });

  it('comes from the studio config', async () => {
    const settings = settingsFromConfig(await loadConfig(shippedDefaultConfig, { env: { HANDOFF_PROJ_ROOT: '/mnt/proj' } }));
    expect(settings.studio).toBe('Acme VFX');
    expect(settings.volumes).toEqual({ proj: '/mnt/proj' });
    expect(settings.vendors.CompersInc).toMatchObject({ name: 'Compers Inc', users: ['emma@compersinc.example'], home: '_VENDORS/CompersInc' });
    expect(ruleFor(settings, 'cleanup').send[0]).toEqual({ template: 'plates', globs: ['*.exr'], optional: false });
    expect(settings.names.description).toBe('{project}_{sequence}_{shot}_{task}_description.html');
  });
});
