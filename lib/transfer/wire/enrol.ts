/**
 * Enrolment, vendor side: the one-time code carries a secret and the SHA-256
 * fingerprint of HQ's CA, so the agent trusts HQ without a prior exchange. The
 * agent makes its own key pair, sends only the public key with the secret, and
 * gets back its certificate; the private key never leaves the vendor.
 */
import tls from 'node:tls';
import { X509Certificate } from 'node:crypto';
import { HandoffError } from '../../core/errors.ts';
import { parseHqUrl } from './agent.ts';
import { FrameSocket } from './frames.ts';
import type { Frame } from './frames.ts';
import { fingerprint, generateAgentKey, saveAgentCredentials } from './identity.ts';
import { TLS_OPTIONS } from './tuning.ts';
import type { AgentCredentials } from './identity.ts';

export interface EnrolOptions {
  hqUrl: string;
  code: string;
  /** This agent's name among its vendor's agents (the machine); unnamed, it replaces every other agent of the vendor. */
  name?: string | undefined;
  /** The name of an agent of the vendor this one takes the place of (HQ revokes it). */
  replace?: string | undefined;
  /** Where to store the credentials (0600); nothing is written when omitted. */
  dir?: string | undefined;
  timeoutMs?: number | undefined;
}

export async function enrolAgent(options: EnrolOptions): Promise<AgentCredentials & { name?: string | undefined }> {
  const [prefix, secret, caFingerprint] = options.code.trim().split('.');
  if (prefix !== 'hoff1' || !secret || !caFingerprint) {
    throw refused('The enrolment code is malformed', 'Copy the whole code HQ gave you (it starts with "hoff1.").');
  }
  const { host, port } = parseHqUrl(options.hqUrl);
  const { key, publicKey } = generateAgentKey();
  const request = { t: 'enrol', code: options.code.trim(), publicKey, ...(options.name ? { name: options.name } : {}), ...(options.replace ? { replace: options.replace } : {}) };
  const answer = await exchange(host, port, caFingerprint, request, options.timeoutMs ?? 15_000);
  if (answer.head.t !== 'enrolled') {
    if (answer.head.code === 'WIRE_AGENT_NAME_TAKEN') {
      throw new HandoffError('WIRE_AGENT_NAME_TAKEN', String(answer.head.message), {
        details: { name: options.name },
        hint: `Enrol with another --name, or --replace ${options.name ?? 'NAME'} to revoke that agent and take its place; ask HQ for a new code (this one is used).`,
      });
    }
    throw refused(String(answer.head.message ?? 'HQ refused the enrolment'), 'Ask HQ for a new one-time code; each code works once.');
  }
  const credentials: AgentCredentials = {
    vendor: String(answer.head.vendor),
    key,
    cert: String(answer.head.cert),
    caCert: String(answer.head.caCert),
  };
  if (fingerprint(credentials.caCert) !== caFingerprint) throw refused('HQ answered with a different CA', 'Check the HQ address.');
  if (options.dir) await saveAgentCredentials(options.dir, credentials);
  return { ...credentials, ...(typeof answer.head.name === 'string' ? { name: answer.head.name } : {}) };
}

/**
 * Asks HQ for its CA certificate, checks it against the fingerprint in the code
 * and that HQ's own certificate is signed by it, and only then sends the request.
 */
function exchange(host: string, port: number, caFingerprint: string, request: Frame['head'], timeoutMs: number): Promise<Frame> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port, ...TLS_OPTIONS, rejectUnauthorized: false });
    const timer = setTimeout(() => fail(new HandoffError('WIRE_TIMEOUT', `HQ at ${host}:${port} did not answer`, { retryable: true })), timeoutMs);
    let settled = false;
    let trusted = false;
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      framed.destroy();
      reject(error);
    };
    const framed = new FrameSocket(
      socket,
      (frame) => {
        if (!trusted) {
          if (frame.head.t !== 'ca' || !signedBy(socket, String(frame.head.caCert), caFingerprint)) {
            fail(refused('HQ did not present the certificate the code names', 'Check the HQ address; someone may be in between.'));
            return;
          }
          trusted = true;
          framed.send(request).catch(fail);
          return;
        }
        settled = true;
        clearTimeout(timer);
        framed.socket.end();
        resolve(frame);
      },
      () => fail(new HandoffError('WIRE_DISCONNECTED', `HQ at ${host}:${port} closed the connection`, { retryable: true })),
    );
    socket.once('secureConnect', () => framed.send({ t: 'enrol-hello' }).catch(fail));
    socket.on('error', (err) => fail(new HandoffError('WIRE_UNREACHABLE', `Cannot reach HQ at ${host}:${port}: ${err.message}`, { cause: err, retryable: true })));
  });
}

function signedBy(socket: tls.TLSSocket, caPem: string, caFingerprint: string): boolean {
  try {
    const leaf = socket.getPeerX509Certificate();
    const ca = new X509Certificate(caPem);
    return !!leaf && fingerprint(caPem) === caFingerprint && leaf.verify(ca.publicKey) && leaf.checkIssued(ca);
  } catch {
    return false;
  }
}

function refused(message: string, hint: string): HandoffError {
  return new HandoffError('WIRE_ENROL_REFUSED', message, { hint });
}
