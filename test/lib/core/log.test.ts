import { describe, expect, it } from 'vitest';
import { HandoffError } from '../../../lib/core/errors.ts';
import { createLogger, setDefaultLogLevel, type LoggerOptions } from '../../../lib/core/log.ts';

function capture(options: LoggerOptions = {}) {
  const lines: string[] = [];
  const now = () => new Date('2026-11-21T07:40:05.123Z');
  return { lines, log: createLogger('transfer', { env: {}, now, write: (line) => lines.push(line), ...options }) };
}

describe('createLogger', () => {
  it('writes one JSON object per line with time, level, name, msg and fields', () => {
    const { lines, log } = capture({ format: 'json' });
    log.info('Job started', { job: 'Outsource - download - scd - CompersInc - 261121', files: 12 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toEqual({
      time: '2026-11-21T07:40:05.123Z',
      level: 'info',
      name: 'transfer',
      msg: 'Job started',
      job: 'Outsource - download - scd - CompersInc - 261121',
      files: 12,
    });
  });

  it('redacts secrets in fields, nested objects and URLs, and keeps reserved keys', () => {
    const { lines, log } = capture({ format: 'json' });
    log.warn('connecting', {
      apiKey: 'k-123',
      tracker: { serverUrl: 'https://pipe:hunter2@acme.ftrackapp.com/api', password: 'hunter2', user: 'pipe' },
      adminTokens: ['0123456789abcdef0123'],
      level: 'spoofed',
    });
    const line = lines[0] as string;
    expect(line).not.toMatch(/k-123|hunter2|0123456789abcdef/);
    expect(JSON.parse(line)).toMatchObject({
      level: 'warn',
      apiKey: '[redacted]',
      tracker: { serverUrl: 'https://pipe:[redacted]@acme.ftrackapp.com/api', password: '[redacted]', user: 'pipe' },
      adminTokens: ['[redacted]'],
    });
  });

  it('serialises errors with their code and details', () => {
    const { lines, log } = capture({ format: 'json' });
    log.error('publish failed', { err: new HandoffError('TRACKER_UNAVAILABLE', 'ftrack did not answer', { details: { status: 503 } }) });
    expect(JSON.parse(lines[0] as string).err).toMatchObject({ name: 'HandoffError', code: 'TRACKER_UNAVAILABLE', message: 'ftrack did not answer', details: { status: 503 } });
  });

  it('filters by level, taken from HANDOFF_LOG_LEVEL by default', () => {
    const { lines, log } = capture({ format: 'json', env: { HANDOFF_LOG_LEVEL: 'WARN' } });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['w', 'e']);
    expect(log.level).toBe('warn');
    expect(log.isEnabled('info')).toBe(false);
    const silent = capture({ level: 'silent' });
    silent.log.error('nothing');
    expect(silent.lines).toEqual([]);
  });

  it('uses the configured default level when HANDOFF_LOG_LEVEL is unset, also for existing loggers', () => {
    const { lines, log } = capture({ format: 'json' });
    try {
      setDefaultLogLevel('error');
      log.warn('hidden');
      log.error('shown');
      expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['shown']);
      expect(createLogger('x', { env: { HANDOFF_LOG_LEVEL: 'debug' }, write: () => {} }).level).toBe('debug');
    } finally {
      setDefaultLogLevel('info');
    }
  });

  it('writes readable lines without colour when asked for pretty output', () => {
    const { lines, log } = capture({ format: 'pretty', color: false });
    log.info('Job started', { job: 'daily', files: 12, token: 'abc' });
    expect(lines).toEqual(['07:40:05.123 INFO  transfer Job started job=daily files=12 token=[redacted]']);
  });

  it('children extend the name and carry their fields', () => {
    const { lines, log } = capture({ format: 'json' });
    log.child('scheduler', { job: 'j1' }).info('tick');
    expect(JSON.parse(lines[0] as string)).toMatchObject({ name: 'transfer.scheduler', job: 'j1', msg: 'tick' });
  });
});
