/**
 * The endpoints a vendor's agent calls when its people publish results:
 * `POST /api/vendor/prepublish` answers per-folder verdicts before any byte
 * moves; `POST /api/vendor/publish` checks the folders again at HQ (never
 * trusting verdicts sent back) and queues the upload job the post-done hook
 * publishes from. An agent acts as its own vendor; an admin names one.
 */
import { Router, type Request } from 'express';
import { HandoffError } from '../../core/errors.ts';
import { prepublish, submitPublish, type PrepublishRequest, type PublishFields, type TreeEntry, type VendorInfo } from '../../vendor-publish/index.ts';
import type { ApiContext } from './context.ts';

interface Body {
  vendor?: unknown;
  user?: unknown;
  files?: unknown;
  fields?: unknown;
  /** Folder (relative to the agent's root) holding the dropped folders; default the root itself. */
  root?: unknown;
}

function vendorFor(ctx: ApiContext, req: Request): VendorInfo {
  const body = (req.body ?? {}) as Body;
  const code = req.caller?.kind === 'agent' ? req.caller.vendor : typeof body.vendor === 'string' ? body.vendor : '';
  const vendor = ctx.vendors[code];
  if (!vendor) {
    throw new HandoffError('SERVER_VENDOR_UNKNOWN', code ? `Vendor ${code} is not configured at HQ` : 'Name the vendor ("vendor": "<code>")', {
      details: { vendor: code, known: Object.keys(ctx.vendors) },
      hint: 'Add the vendor to the vendors section of the HQ config (code, users, home).',
    });
  }
  return vendor;
}

function requestOf(ctx: ApiContext, req: Request): PrepublishRequest {
  if (!ctx.tracker) {
    throw new HandoffError('SERVER_TRACKER_OFF', 'Pre-publish needs the tracker, and this server runs without one', {
      hint: 'Configure the tracker section so HQ can check folders against it.',
    });
  }
  const body = (req.body ?? {}) as Body;
  return { vendor: vendorFor(ctx, req), user: typeof body.user === 'string' ? body.user : '', files: (body.files ?? []) as TreeEntry[] };
}

export function vendorPublishRouter(ctx: ApiContext): Router {
  const router = Router();
  router.post('/vendor/prepublish', async (req, res) => {
    const request = requestOf(ctx, req);
    const response = await prepublish(request, { tracker: ctx.tracker!, statuses: ctx.vendorStatuses });
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
    const request = requestOf(ctx, req);
    const body = (req.body ?? {}) as Body;
    const root = typeof body.root === 'string' ? body.root.replace(/\/+$/, '') : '';
    const response = await prepublish(request, { tracker: ctx.tracker!, statuses: ctx.vendorStatuses });
    const submitted = await submitPublish({
      transfer: ctx.transfer,
      vendor: request.vendor,
      user: request.user,
      response,
      fields: (body.fields ?? {}) as PublishFields,
      sourceOf: (filename) => (root ? `${root}/${filename}` : filename),
    });
    ctx.recorder.log({
      type: 'publish.upload',
      level: 'info',
      message: `Upload of ${submitted.folders.map((f) => f.filename).join(', ')} from ${request.vendor.code} queued`,
      vendor: request.vendor.code,
      jobId: submitted.job.id,
    });
    res.json({ job: submitted.job, folders: submitted.folders, response });
  });
  return router;
}
