/**
 * `handoff vendor invite EMAIL`: at HQ, asks the running server for a one-time
 * enrolment code for the vendor that person belongs to, and prints the command
 * the vendor runs on the machine that will hold its agent.
 * `handoff vendor agents VENDOR [--revoke NAME]`: lists the vendor's agents
 * (machines) with their last contact, or revokes one.
 */
import type { Command } from 'commander';
import { createHqClient } from '../../agent/index.ts';
import type { HandoffConfig } from '../../core/config/index.ts';
import { HandoffError } from '../../core/errors.ts';
import { localApiOf } from '../../server/http-security.ts';
import { cliAction } from '../action.ts';
import { addressWarnings } from '../addresses.ts';
import { adminToken, dataDirOf, loopbackFor, serverOf } from '../hq.ts';

interface InviteFlags {
  vendor?: string;
  server?: string;
}

interface AgentRow {
  name: string;
  online: boolean;
  enrolledAt: string;
  lastContact?: string | undefined;
  revokedAt?: string | undefined;
}

interface InviteAnswer {
  vendor: string;
  code: string;
  hq: string;
  server?: string | undefined;
}

/** The vendor code whose people include this email (or username); --vendor wins. */
export function vendorOfEmail(config: HandoffConfig, email: string, vendor?: string): string {
  if (vendor) {
    if (!config.vendors[vendor]) throw unknownVendor(config, `Vendor ${vendor} is not in the config`, 'code');
    return vendor;
  }
  const wanted = email.trim().toLowerCase();
  const matches = Object.entries(config.vendors).filter(([, v]) => v.users.some((u) => u.toLowerCase() === wanted)).map(([code]) => code);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new HandoffError('VENDOR_AMBIGUOUS', `${email} belongs to several vendors: ${matches.join(', ')}`, { hint: 'Say which with --vendor CODE.', details: { email, vendors: matches } });
  }
  throw unknownVendor(config, `${email} is not one of any vendor's users`);
}

/** `wrong` says what the person got wrong: the vendor code given, or an email no vendor lists. */
function unknownVendor(config: HandoffConfig, message: string, wrong: 'code' | 'email' = 'email'): HandoffError {
  const known = Object.keys(config.vendors);
  const hint = !known.length
    ? 'Add the vendor to the vendors section of the config first.'
    : wrong === 'code'
      ? `Pass --vendor with one of: ${known.join(', ')} (or add this vendor to the config).`
      : `Add the person to vendors.<code>.users in the config, or pass --vendor (${known.join(', ')}).`;
  return new HandoffError('VENDOR_NOT_FOUND', message, { details: { known }, hint });
}

export function register(program: Command): void {
  const vendor = program.command('vendor').description('vendors at HQ: invite their agents, list and revoke them');
  vendor
    .command('agents')
    .description("list a vendor's agents (machines) with their last contact, or revoke one")
    .argument('<vendor>', 'the vendor code, e.g. CompersInc')
    .option('--revoke <name>', 'revoke the agent of this name: HQ drops it and refuses it from now on')
    .option('--server <url>', 'the running HQ server (default: server.host and server.port of the config)')
    .action(cliAction(async (ctx, code: string, flags: { revoke?: string; server?: string }) => {
      const config = await ctx.loadConfig();
      const serverUrl = serverOf(flags.server, ctx.io.env) ?? `http://${loopbackFor(config.server.host)}:${config.server.port}`;
      const token = await adminToken(ctx.io.env, config, dataDirOf(undefined, ctx.io.env, config));
      const client = createHqClient(serverUrl, { kind: 'admin', token });
      const route = `/api/vendors/${encodeURIComponent(code)}/agents`;
      const answer = flags.revoke
        ? await client.post<{ vendor: string; agents: AgentRow[] }>(`${route}/${encodeURIComponent(flags.revoke)}/revoke`)
        : await client.get<{ vendor: string; agents: AgentRow[] }>(route);
      ctx.result({ ...answer, ...(flags.revoke ? { revoked: flags.revoke } : {}) }, (d, style) => agentsText(d, style.bold));
    }));

  vendor
    .command('invite')
    .description('make a one-time enrolment code for a vendor\'s agent and print the command the vendor runs')
    .argument('<email>', 'a person of the vendor (as listed in vendors.<code>.users)')
    .option('--vendor <code>', 'the vendor, when the email alone does not say')
    .option('--server <url>', 'the running HQ server (default: server.host and server.port of the config)')
    .addHelpText('after', '\nThe admin token comes from HANDOFF_TOKEN (docs/cli.md: Reaching HQ), else server.adminTokens, else the\nadmin-token file `handoff serve` wrote into transfer.dataDir.')
    .action(cliAction(async (ctx, email: string, flags: InviteFlags) => {
      const config = await ctx.loadConfig();
      const code = vendorOfEmail(config, email, flags.vendor);
      const dataDir = dataDirOf(undefined, ctx.io.env, config);
      const local = await localApiOf(config, dataDir);
      const serverUrl = serverOf(flags.server, ctx.io.env) ?? `${local.scheme}://${loopbackFor(config.server.host)}:${config.server.port}`;
      const token = await adminToken(ctx.io.env, config, dataDir);
      const answer = await createHqClient(serverUrl, { kind: 'admin', token, ca: local.ca }).post<InviteAnswer>(`/api/vendors/${encodeURIComponent(code)}/invite`);
      // HQ names the addresses vendors can reach (server.publicUrl, or the host it was reached at).
      const server = answer.server ?? serverUrl;
      const command = `handoff agent enrol --hq ${answer.hq} --server ${server} --code ${answer.code} --root <folder for deliveries>`;
      const warnings = addressWarnings({ server, agents: answer.hq, serverIsPublic: false, agentsArePublic: false });
      for (const warning of warnings) ctx.out.note(`${ctx.out.noteStyle.yellow('warning')} ${warning}`);
      ctx.result({ vendor: answer.vendor, email, code: answer.code, hq: answer.hq, server, command, warnings }, (d, style) =>
        [`One-time code for ${style.bold(d.vendor)} (${d.email}); it works once, within 24 hours. Send them:`, '', `  ${d.command}`, '', `then \`handoff agent run\` keeps the agent connected.`].join('\n'));
    }));
}

function agentsText(d: { vendor: string; agents: AgentRow[]; revoked?: string }, bold: (text: string) => string): string {
  const head = d.revoked ? `Revoked agent ${d.revoked} of ${bold(d.vendor)}.` : `Agents of ${bold(d.vendor)}:`;
  if (!d.agents.length) return `${head}\n  none enrolled: \`handoff vendor invite\` makes a code for one`;
  const lines = d.agents.map((a) => {
    const state = a.revokedAt ? `revoked ${a.revokedAt}` : a.online ? 'online' : 'offline';
    return `  ${a.name.padEnd(20)} ${state.padEnd(32)} last contact ${a.lastContact ?? 'never'}  enrolled ${a.enrolledAt}`;
  });
  return [head, ...lines].join('\n');
}
