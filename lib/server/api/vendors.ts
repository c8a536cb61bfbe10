/** Vendors, their agents (online, last contact, throughput), shares, and invitations for new agents. */
import { Router } from 'express';
import { HandoffError } from '../../core/errors.ts';
import type { ApiContext } from './context.ts';

const CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

function checkVendorCode(code: string): string {
  if (CODE.test(code)) return code;
  throw new HandoffError('SERVER_REQUEST_INVALID', `"${code}" is not a vendor code`, {
    details: { vendor: code },
    hint: 'Vendor codes are letters, digits, "_" and "-", e.g. CompersInc.',
  });
}

/**
 * The agents' address as a vendor can dial it: a listener bound to every
 * interface (0.0.0.0, ::) is reached at the host people reach this server at.
 */
export function dialableWireUrl(wireUrl: string, serverUrl: string): string {
  const match = /^handoff:\/\/(\[[^\]]+\]|[^:/]+):(\d+)\/?$/.exec(wireUrl);
  if (!match || (match[1] !== '0.0.0.0' && match[1] !== '[::]')) return wireUrl;
  return `handoff://${new URL(serverUrl).hostname}:${match[2]}`;
}

export function vendorsRouter(ctx: ApiContext): Router {
  const router = Router();
  router.get('/agents', async (_req, res) => res.json({ agents: await ctx.presence.list() }));

  router.get('/vendors', async (_req, res) => {
    const agents = new Map((await ctx.presence.list()).map((a) => [a.vendor, a]));
    const codes = [...new Set([...Object.keys(ctx.vendors), ...agents.keys()])].sort();
    const vendors = await Promise.all(
      codes.map(async (code) => ({
        code,
        name: ctx.vendors[code]?.name ?? code,
        users: ctx.vendors[code]?.users ?? [],
        configured: code in ctx.vendors,
        share: (await ctx.transfer.getShare(code)) ?? null,
        agent: agents.get(code) ?? null,
      })),
    );
    res.json({ vendors });
  });

  router.get('/vendors/:code/agents', (req, res) => {
    const vendor = checkVendorCode(req.params.code);
    res.json({ vendor, agents: ctx.presence.agentsOf(vendor) });
  });

  router.post('/vendors/:code/agents/:name/revoke', async (req, res) => {
    const vendor = checkVendorCode(req.params.code);
    const name = req.params.name;
    if (!ctx.revokeAgent || !(await ctx.revokeAgent(vendor, name))) {
      const known = ctx.presence.agentsOf(vendor).filter((a) => !a.revokedAt).map((a) => a.name);
      throw new HandoffError('SERVER_AGENT_NOT_FOUND', `${vendor} has no enrolled agent named ${name}`, {
        details: { vendor, name, known },
        hint: known.length ? `Its agents: ${known.join(', ')}.` : `${vendor} has no enrolled agent; \`handoff vendor agents ${vendor}\` lists them.`,
      });
    }
    ctx.recorder.log({ type: 'agent.revoked', level: 'warn', message: `Agent ${name} of ${vendor} revoked`, vendor, data: { name } });
    res.json({ vendor, agents: ctx.presence.agentsOf(vendor) });
  });

  router.post('/vendors/:code/invite', async (req, res) => {
    const vendor = checkVendorCode(req.params.code);
    if (!ctx.createEnrolmentCode || !ctx.wireUrl) {
      throw new HandoffError('SERVER_LISTENER_OFF', 'This server does not accept vendor agents (its agent listener is off)', {
        hint: 'Start `handoff serve` with transfer.listen configured so agents can connect.',
      });
    }
    const code = await ctx.createEnrolmentCode(vendor);
    ctx.recorder.log({ type: 'vendor.invite', level: 'info', message: `Enrolment code created for ${vendor}`, vendor });
    const server = ctx.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    res.json({ vendor, code, hq: ctx.publicWireUrl ?? dialableWireUrl(ctx.wireUrl, server), server: ctx.publicUrl ?? ctx.serverUrl });
  });

  router.get('/shares', async (_req, res) => {
    const codes = [...new Set([...Object.keys(ctx.vendors), ...(await ctx.presence.list()).map((a) => a.vendor)])];
    const shares = (await Promise.all(codes.map((code) => ctx.transfer.getShare(code)))).filter((s) => s !== undefined);
    res.json({ shares });
  });
  router.get('/shares/:vendor', async (req, res) => {
    const share = await ctx.transfer.getShare(checkVendorCode(req.params.vendor));
    res.json({ share: share ?? null, grants: share ? await ctx.transfer.listGrants(share.vendor) : [] });
  });
  router.put('/shares/:vendor', async (req, res) => {
    const body = (req.body ?? {}) as { root?: unknown; volume?: unknown };
    if (typeof body.root !== 'string' || body.root === '') {
      throw new HandoffError('SERVER_REQUEST_INVALID', 'A share needs a "root" folder inside the HQ volume', { hint: 'Send {"root": "_VENDORS/CompersInc"}.' });
    }
    const share = await ctx.transfer.ensureShare({
      vendor: checkVendorCode(req.params.vendor),
      root: body.root,
      volume: typeof body.volume === 'string' ? body.volume : undefined,
    });
    ctx.recorder.log({ type: 'share', level: 'info', message: `Share of ${share.vendor} set to ${share.root}`, vendor: share.vendor });
    res.json({ share });
  });
  return router;
}
