/**
 * Fault injection for resilience tests: added latency, and failures as
 * clients meet them — 429 with Retry-After, 503 maintenance, a proxy's HTML
 * error page, a JSON error envelope, or a dropped connection. Set at start,
 * changed at runtime in process or through `/_emulator/faults`.
 */
import { z } from 'zod';
import { HandoffError } from '../../../core/errors.ts';

export const faultsSchema = z
  .object({
    /** Milliseconds added before every API, upload and download response. */
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    /** The next N requests to the failing routes fail. */
    failNext: z.number().int().min(0).optional(),
    /** Fraction (0–1) of requests to the failing routes that fail. */
    failRate: z.number().min(0).max(1).optional(),
    /** How a failure looks. Default `json` (the REST error envelope). */
    failWith: z.enum(['json', 'html', 'reset']).optional(),
    /** HTTP status of a failure. Default 503. */
    status: z.number().int().min(400).max(599).optional(),
    /** Retry-After seconds sent with failures (default 1 for 429 and 503). */
    retryAfterSeconds: z.number().int().min(0).max(3600).optional(),
    /** Which routes fail: `api` (REST, JSON-RPC, token; the default), `upload` (storage PUTs, upload forms), `download` (files). */
    failOn: z.array(z.enum(['api', 'upload', 'download'])).min(1).optional(),
  })
  .strict();

export type FaultOptions = z.infer<typeof faultsSchema>;
export type FaultRoute = 'api' | 'upload' | 'download';
export type FaultDecision = { fail: false } | { fail: true; failWith: 'json' | 'html' | 'reset'; status: number; retryAfter: number | undefined };

export function parseFaults(input: unknown): FaultOptions {
  const result = faultsSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new HandoffError('SHOTGRID_EMULATOR_FAULTS_INVALID', `Invalid fault settings:\n  ${problems.join('\n  ')}`, {
      details: { problems },
      hint: 'Use latencyMs, failNext, failRate, failWith (json|html|reset), status, retryAfterSeconds and failOn.',
    });
  }
  return result.data;
}

export class FaultInjector {
  private current: FaultOptions;

  constructor(initial: FaultOptions = {}) {
    this.current = parseFaults(initial);
  }

  set(update: FaultOptions): FaultOptions {
    this.current = { ...this.current, ...parseFaults(update) };
    return this.get();
  }

  clear(): void {
    this.current = {};
  }

  get(): FaultOptions {
    return { ...this.current };
  }

  get latencyMs(): number {
    return this.current.latencyMs ?? 0;
  }

  /** Whether this request to `route` fails; consumes one `failNext`. */
  next(route: FaultRoute): FaultDecision {
    const { failNext = 0, failRate = 0, failOn = ['api'] } = this.current;
    if (!failOn.includes(route)) return { fail: false };
    if (!(failNext > 0 || (failRate > 0 && Math.random() < failRate))) return { fail: false };
    if (failNext > 0) this.current.failNext = failNext - 1;
    const status = this.current.status ?? 503;
    const retryAfter = this.current.retryAfterSeconds ?? (status === 429 || status === 503 ? 1 : undefined);
    return { fail: true, failWith: this.current.failWith ?? 'json', status, retryAfter };
  }
}

const REASONS: Record<number, string> = { 429: 'Too Many Requests', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Time-out' };

export const reasonOf = (status: number): string => REASONS[status] ?? 'Error';

export const htmlErrorPage = (status: number): string =>
  `<html>\r\n<head><title>${status} ${reasonOf(status)}</title></head>\r\n<body>\r\n<center><h1>${status} ${reasonOf(status)}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
