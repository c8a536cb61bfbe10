/**
 * The addresses vendors are told (in invites and by `handoff serve`), and a
 * warning for each one only this machine can reach: a loopback or wildcard
 * address means the studio has not said which address vendors dial.
 */
export interface VendorAddresses {
  /** HTTP address vendors publish through: server.publicUrl, else where the server listens. */
  server: string;
  /** Agent address vendors dial: transfer.publicAddress, else where the listener listens. */
  agents: string | undefined;
  /** Whether each one was set in the config (publicUrl, publicAddress). */
  serverIsPublic: boolean;
  agentsArePublic: boolean;
}

const LOCAL_ONLY = /^(127\.\d+\.\d+\.\d+|localhost|\[?::1\]?|0\.0\.0\.0|\[?::\]?)$/i;

/** True for an address no other machine can dial: loopback, or a wildcard (listen on all, dial none). */
export function isLocalOnly(url: string): boolean {
  try {
    return LOCAL_ONLY.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

export function addressWarnings(addresses: VendorAddresses): string[] {
  const warnings: string[] = [];
  if (addresses.agents && isLocalOnly(addresses.agents)) {
    warnings.push(
      `vendor agents would be told to dial ${addresses.agents}, which no other machine reaches: set transfer.publicAddress to the HOST:PORT vendors dial${addresses.agentsArePublic ? '' : ' (and transfer.listen.host to 0.0.0.0 or this machine\'s address)'}`,
    );
  }
  if (isLocalOnly(addresses.server)) {
    warnings.push(
      `vendors would publish through ${addresses.server}, which no other machine reaches: set server.publicUrl to the URL vendors use${addresses.serverIsPublic ? '' : ' (and server.host to an address they can reach)'}`,
    );
  }
  return warnings;
}
