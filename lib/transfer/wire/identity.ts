/**
 * Keys and certificates. HQ is a small certificate authority: it signs its own
 * server certificate and, at enrolment, the agent's public key (the agent's
 * private key never leaves the vendor). Everything is ECDSA P-256, stored as PEM
 * files readable by their owner only.
 */
import { X509Certificate, createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { HandoffError } from '../../core/errors.ts';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface HqIdentity {
  caCert: string;
  caKey: string;
  cert: string;
  key: string;
}

export interface AgentCredentials {
  vendor: string;
  key: string;
  cert: string;
  caCert: string;
}

/** Loads HQ's CA and server certificate from `dir`, creating them on first use. */
export async function loadHqIdentity(dir: string, hosts: string[] = ['127.0.0.1', 'localhost']): Promise<HqIdentity> {
  const files = { caCert: 'ca.pem', caKey: 'ca-key.pem', cert: 'hq.pem', key: 'hq-key.pem' } as const;
  try {
    const read = (name: string): Promise<string> => readFile(path.join(dir, name), 'utf8');
    return { caCert: await read(files.caCert), caKey: await read(files.caKey), cert: await read(files.cert), key: await read(files.key) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const identity = await createHqIdentity(hosts);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  for (const [field, name] of Object.entries(files)) {
    await writeSecret(path.join(dir, name), identity[field as keyof HqIdentity]);
  }
  return identity;
}

export async function createHqIdentity(hosts: string[]): Promise<HqIdentity> {
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=handoff HQ CA',
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 20 * YEAR_MS),
    signingAlgorithm: ALGORITHM,
    keys: caKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    ],
  });
  const caKey = pemOfPrivate(await webcrypto.subtle.exportKey('pkcs8', caKeys.privateKey));
  const server = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const names = hosts.map((host) => (/^[\d.]+$|:/.test(host) ? { type: 'ip' as const, value: host } : { type: 'dns' as const, value: host }));
  const cert = await issue(ca.toString('pem'), caKey, 'CN=handoff HQ', server.publicKey.export({ type: 'spki', format: 'pem' }).toString(), [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension(names),
  ]);
  return { caCert: ca.toString('pem'), caKey, cert, key: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** Signs a vendor agent's public key (SPKI PEM); the vendor code is the certificate's CN. */
export async function signAgentKey(identity: HqIdentity, vendor: string, publicKeyPem: string): Promise<string> {
  let spki: string;
  try {
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ec') throw new Error(`${key.asymmetricKeyType} key`);
    spki = key.export({ type: 'spki', format: 'pem' }).toString();
  } catch (err) {
    throw new HandoffError('WIRE_ENROL_INVALID', 'The agent sent an unusable public key', { cause: err, hint: 'Re-run the enrolment on the vendor side.' });
  }
  return issue(identity.caCert, identity.caKey, `CN=${vendor.replace(/[,=+<>#;"\\]/g, '_')}`, spki, [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
  ]);
}

export function generateAgentKey(): { key: string; publicKey: string } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    key: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** SHA-256 of a certificate's DER, base64url. */
export function fingerprint(certPem: string): string {
  return fingerprintOf(new X509Certificate(certPem).raw);
}

export function fingerprintOf(der: Buffer): string {
  return createHash('sha256').update(der).digest('base64url');
}

export async function saveAgentCredentials(dir: string, credentials: AgentCredentials): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeSecret(path.join(dir, 'agent.json'), JSON.stringify(credentials, null, 2));
}

export async function loadAgentCredentials(dir: string): Promise<AgentCredentials> {
  try {
    return JSON.parse(await readFile(path.join(dir, 'agent.json'), 'utf8')) as AgentCredentials;
  } catch (err) {
    throw new HandoffError('WIRE_NOT_ENROLLED', `No agent credentials in ${dir}`, {
      cause: err,
      details: { dir },
      hint: 'Enrol this agent with the one-time code HQ gave you.',
    });
  }
}

async function issue(caCertPem: string, caKeyPem: string, subject: string, spkiPem: string, extensions: x509.Extension[]): Promise<string> {
  const caCert = new x509.X509Certificate(caCertPem);
  const signingKey = await webcrypto.subtle.importKey('pkcs8', createPrivateKey(caKeyPem).export({ type: 'pkcs8', format: 'der' }), ALGORITHM, false, ['sign']);
  const publicKey = await webcrypto.subtle.importKey('spki', createPublicKey(spkiPem).export({ type: 'spki', format: 'der' }), ALGORITHM, true, ['verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject,
    issuer: caCert.subject,
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 5 * YEAR_MS),
    signingAlgorithm: ALGORITHM,
    publicKey,
    signingKey,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), ...extensions],
  });
  return cert.toString('pem');
}

function pemOfPrivate(der: ArrayBuffer): string {
  return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }).toString();
}

function serial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

export async function writeSecret(file: string, text: string): Promise<void> {
  await writeFile(file, text, { mode: 0o600 });
  await chmod(file, 0o600);
}
