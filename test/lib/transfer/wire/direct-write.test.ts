import { afterEach, describe, expect, it } from 'vitest';
import { directWritesAllowed } from '../../../../lib/transfer/wire/direct-write.ts';

describe('direct writes', () => {
  const saved = process.env.HANDOFF_DIRECT_IO;
  afterEach(() => {
    if (saved === undefined) delete process.env.HANDOFF_DIRECT_IO;
    else process.env.HANDOFF_DIRECT_IO = saved;
  });

  it('HANDOFF_DIRECT_IO=off and =on decide whatever the file system; auto leaves a RAM disk alone', async () => {
    process.env.HANDOFF_DIRECT_IO = 'off';
    await expect(directWritesAllowed(process.cwd())).resolves.toBe(false);
    process.env.HANDOFF_DIRECT_IO = 'on';
    await expect(directWritesAllowed('/dev/shm')).resolves.toBe(process.platform === 'linux');
    process.env.HANDOFF_DIRECT_IO = 'auto';
    await expect(directWritesAllowed('/dev/shm')).resolves.toBe(false);
    await expect(directWritesAllowed('/no/such/folder')).resolves.toBe(false);
  });

  it('a value it does not know is refused by name', async () => {
    process.env.HANDOFF_DIRECT_IO = 'sometimes';
    await expect(directWritesAllowed(process.cwd())).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('HANDOFF_DIRECT_IO') });
  });
});
