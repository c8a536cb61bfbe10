/** Picks the transport for a pair of parties: `local` when both are folders on this machine, else the first remote one. */
import { HandoffError } from '../../core/errors.ts';
import type { Transport } from '../transport.ts';
import type { Party } from '../types.ts';
import { describeParty, findRoot, type Roots } from './roots.ts';

export function chooseTransport(transports: Transport[], roots: Roots, from: Party, to: Party): Transport {
  const local = transports.find((transport) => transport.name === 'local');
  if (local && findRoot(roots, from) !== undefined && findRoot(roots, to) !== undefined) return local;
  const remote = transports.find((transport) => transport.name !== 'local');
  if (remote) return remote;
  throw new HandoffError('TRANSFER_NO_TRANSPORT', `No transport can move files from ${describeParty(from)} to ${describeParty(to)}`, {
    details: { from, to, transports: transports.map((transport) => transport.name) },
    hint: 'Configure a root for both parties (local copies) or start the HQ listener so the vendor agent can connect.',
  });
}
