/**
 * The endpoints a vendor's agent calls when its people publish results:
 * `POST /api/vendor/prepublish` answers per-folder verdicts before any byte
 * moves; `POST /api/vendor/publish` checks the folders again at HQ (never
 * trusting verdicts sent back) and queues the upload of exactly the validated
 * files; `GET /api/vendor/publish/:jobId` says how the upload ended (published,
 * or rejected at landing and why). Every check runs the studio's pre-publish
 * service built from the config. An agent acts as its own vendor; an admin names one.
 */
import { Router, type Request } from 'express';
import { HandoffError } from '../../core/errors.ts';
import { submitPublish, type ConfiguredPrepublish, type PrepublishRequest, type PublishFields, type TreeEntry, type VendorInfo } from '../../vendor-publish/index.ts';
import type { ApiContext } from './context.ts';
import { publishOutcome } from './publish-outcome.ts';

interface Body {
  vendor?: unknown;
  user?: unknown;
  files?: unknown;
  fields?: unknown;
  /** Folder (relative to the agent's root) holding the dropped folders; default the root itself. */
  root?: unknown;
}

function vendorCode(req: Request, body: Body): string {
  return req.caller?.kind === 'agent' ? req.caller.vendor : typeof body.vendor === 'string' ? body.vendor : '';
}

function vendorFor(ctx: ApiContext, code: string): VendorInfo {
  const vendor = ctx.vendors[code];
  if (!vendor) {
    throw new HandoffError('SERVER_VENDOR_UNKNOWN', code ? `Vendor ${code} is not configured at HQ` : 'Name the vendor ("vendor": "<code>")', {
      details: { vendor: code, known: Object.keys(ctx.vendors) },
      hint: 'Add the vendor to the vendors section of the HQ config (code, users, home).',
    });
  }
  return vendor;
}

function serviceOf(ctx: ApiContext): ConfiguredPrepublish {
  if (!ctx.tracker || !ctx.prepublish) {
    throw new HandoffError('SERVER_TRACKER_OFF', 'Pre-publish needs the tracker, and this server runs without one', {
      hint: 'Configure the tracker section so HQ can check folders against it.',
    });
  }
  return ctx.prepublish;
}

function requestOf(ctx: ApiContext, req: Request): PrepublishRequest {
  const body = (req.body ?? {}) as Body;
  return { vendor: vendorFor(ctx, vendorCode(req, body)), user: typeof body.user === 'string' ? body.user : '', files: (body.files ?? []) as TreeEntry[] };
}

export function vendorPublishRouter(ctx: ApiContext): Router {
  const router = Router();
  router.post('/vendor/prepublish', async (req, res) => {
    const service = serviceOf(ctx);
    const request = requestOf(ctx, req);
    const response = await service.prepublish(request);
    const blocked = response.folders.filter((f) => !f.can_publish).length;
    ctx.recorder.log({
      type: 'prepublish',
      level: blocked ? 'warn' : 'info',
      message: `Pre-publish for ${request.vendor.code} (${request.user}): ${response.folders.length - blocked} publishable, ${blocked} rejected`,
      vendor: request.vendor.code,
      data: { folders: response.folders.map((f) => ({ folder: f.filename, verdict: f.verdict })) },
    });
    res.json(response);
  });

  router.post('/vendor/publish', async (req, res) => {
    const service = serviceOf(ctx);
    const request = requestOf(ctx, req);
    const body = (req.body ?? {}) as Body;
    const root = typeof body.root === 'string' ? body.root.replace(/\/+$/, '') : '';
    const response = await service.prepublish(request);
    const submitted = await submitPublish({
      transfer: ctx.transfer,
      vendor: request.vendor,
      user: request.user,
      response,
      files: request.files,
      fields: (body.fields ?? {}) as PublishFields,
      sourceOf: (filename) => (root ? `${root}/${filename}` : filename),
    });
    ctx.recorder.log({
      type: 'publish.upload',
      level: 'info',
      message: `Upload of ${submitted.folders.map((f) => f.filename).join(', ')} from ${request.vendor.code} queued (${submitted.tasks.added.length} validated files)`,
      vendor: request.vendor.code,
      jobId: submitted.job.id,
    });
    res.json({ job: submitted.job, folders: submitted.folders, response });
  });

  router.get('/vendor/publish/:jobId', async (req, res) => {
    const job = await ctx.transfer.getJob(req.params.jobId ?? '');
    const vendor = job?.source.kind === 'vendor' ? job.source.vendor : undefined;
    // An agent sees only its own vendor's uploads; another's is as unknown as a made-up id.
    if (!job || !vendor || (req.caller?.kind === 'agent' && req.caller.vendor !== vendor)) {
      throw new HandoffError('SERVER_JOB_NOT_FOUND', `No publish upload ${req.params.jobId ?? ''} for this vendor`, {
        hint: 'Use the job id `handoff agent publish` printed.',
        details: { jobId: req.params.jobId },
      });
    }
    res.json(publishOutcome(job, ctx.store.listHooks(job.id), ctx.store.listPublishes(100, job.id)));
  });
  return router;
}
