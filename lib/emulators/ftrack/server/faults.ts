/**
 * Fault injection for resilience tests: added latency, and failing requests
 * that look like what clients meet in the wild — a proxy's HTML error page,
 * a JSON 5xx, or a dropped connection. Set at start and changed at runtime.
 */
import { z } from 'zod';
import { HandoffError } from '../../../core/errors.ts';

export const faultsSchema = z
  .object({
    /** Milliseconds added before every /api, upload and download response. */
    latencyMs: z.number().int().min(0).max(60_000).optional(),
    /** The next N requests to the failing routes fail. */
    failNext: z.number().int().min(0).optional(),
    /** Fraction (0–1) of requests to the failing routes that fail. */
    failRate: z.number().min(0).max(1).optional(),
    /** How a failure looks. Default `html`. */
    failWith: z.enum(['html', 'json', 'reset']).optional(),
    /** HTTP status of a failure. Default 502. */
    status: z.number().int().min(400).max(599).optional(),
    /** Which routes fail: `api` (POST /api, the default), `upload` (PUT targets), `download` (component files). */
    failOn: z.array(z.enum(['api', 'upload', 'download'])).min(1).optional(),
  })
  .strict();

export type FaultOptions = z.infer<typeof faultsSchema>;

export function parseFaults(input: unknown): FaultOptions {
  const result = faultsSchema.safeParse(input);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new HandoffError('FTRACK_EMULATOR_FAULTS_INVALID', `Invalid fault settings:\n  ${problems.join('\n  ')}`, {
      details: { problems },
      hint: 'Use latencyMs, failNext, failRate, failWith (html|json|reset) and status.',
    });
  }
  return result.data;
}

export type FaultRoute = 'api' | 'upload' | 'download';

export type FaultDecision = { fail: false } | { fail: true; failWith: 'html' | 'json' | 'reset'; status: number };

export class FaultInjector {
  private current: FaultOptions;

  constructor(initial: FaultOptions = {}) {
    this.current = parseFaults(initial);
  }

  /** Merges new settings into the current ones; `undefined` keeps a setting. */
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
    const fail = failNext > 0 || (failRate > 0 && Math.random() < failRate);
    if (!fail) return { fail: false };
    if (failNext > 0) this.current.failNext = failNext - 1;
    return { fail: true, failWith: this.current.failWith ?? 'html', status: this.current.status ?? 502 };
  }
}

export const HTML_ERROR_PAGE = (status: number): string =>
  `<html>\r\n<head><title>${status} Bad Gateway</title></head>\r\n<body>\r\n<center><h1>${status} Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
