/** Config sections for the running services: transfer core, HTTP server, logging. */
import { z } from 'zod';
import { duration, fsPath, nonEmpty, port, rate, size } from './fields.ts';

export const transferSection = z.strictObject({
  /** Where the transfer core keeps its SQLite database and partial files. */
  dataDir: fsPath.default('~/.handoff'),
  /** Where vendor agents connect. */
  listen: z.strictObject({ host: nonEmpty.default('0.0.0.0'), port: port.default(8731) }).prefault({}),
  /** The address vendors' agents dial (HOST:PORT), when it differs from listen: a public name, a NAT. */
  publicAddress: z
    .string()
    .regex(/^(handoff:\/\/)?(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}\/?$/, 'expected HOST:PORT, e.g. hq.studio.example:8731')
    .transform((text) => `handoff://${text.replace(/^handoff:\/\//, '').replace(/\/$/, '')}`)
    .optional(),
  /** Parallel data connections per transfer. */
  maxConnections: z.number().int().min(1).max(64).default(8),
  chunkSize: size.default(8 * 2 ** 20),
  bandwidth: z
    .strictObject({
      /** Bytes per second for all transfers together; 0 is unlimited. */
      total: rate.default(0),
      /** Bytes per second per vendor; 0 is unlimited. */
      perVendor: rate.default(0),
    })
    .prefault({}),
  /** A file at the vendor that differs from what HQ last delivered there: set it aside and deliver (rename), keep it, or overwrite it. */
  vendorChanged: z.enum(['rename', 'keep', 'overwrite']).default('rename'),
  retry: z
    .strictObject({
      /** 0 retries for ever. */
      maxAttempts: z.number().int().min(0).default(0),
      initialDelay: duration.default(5_000),
      maxDelay: duration.default(600_000),
    })
    .prefault({}),
});

const adminTokens = z
  .union([z.array(z.string()), z.string()])
  .transform((value) => (Array.isArray(value) ? value : value.split(/[\s,]+/)).filter((token) => token !== ''))
  .pipe(z.array(z.string().min(16, 'expected an admin token of at least 16 characters')));

export const serverSection = z.strictObject({
  host: nonEmpty.default('127.0.0.1'),
  port: port.default(8730),
  /** The URL vendors and the tracker use to reach this server, when it differs from host:port. */
  publicUrl: nonEmpty.optional(),
  /** Bearer tokens for the admin API: a list, or one comma-separated string (handy from an env variable). */
  adminTokens: adminTokens.default([]),
  /** Certificate (PEM chain) and key files for HTTPS; without them a non-loopback host serves HQ's own certificate. */
  tls: z.strictObject({ cert: fsPath, key: fsPath }).optional(),
  /** Serve plain HTTP beyond loopback (only behind a TLS proxy on a trusted network); warned at start. */
  allowPlainHttp: z.boolean().default(false),
});

export const logLevels = ['debug', 'info', 'warn', 'error', 'silent'] as const;

export const logSection = z.strictObject({
  level: z.enum(logLevels).default('info'),
});
