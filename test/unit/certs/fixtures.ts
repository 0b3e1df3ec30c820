// Certificates for the tests of the Linkerd identity credentials, made with the same
// library the CLI uses, plus the odd ones the CLI must refuse (RSA, P-384, leaf, expired).
import 'reflect-metadata';
import {createPrivateKey, webcrypto} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import * as x509 from '@peculiar/x509';
import {generateLinkerdIdentity} from '../../../src/adapters/certs/generate.js';
import type {LinkerdIdentityCredentials} from '../../../src/adapters/certs/types.js';

export const HOUR = 3_600_000;

const ALGORITHMS = {
  'P-256': {name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256'},
  'P-384': {name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384'},
  RSA: {name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256'},
} as const;

export interface TestCert {
  pem: string;
  keyPem: string;
  keys: webcrypto.CryptoKeyPair;
  name: string;
}

/** A certificate with its key; self-signed unless `signer` is given. */
export async function makeCert(
  options: {name: string; algorithm?: keyof typeof ALGORITHMS; ca?: boolean; signer?: TestCert; notBefore?: Date;
    notAfter?: Date},
): Promise<TestCert> {
  const algorithm = ALGORITHMS[options.algorithm ?? 'P-256'];
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify']) as webcrypto.CryptoKeyPair;
  const signer = options.signer;
  const signingAlgorithm = signer
    ? (signer.keys.privateKey.algorithm as unknown as {name: string}).name === 'ECDSA'
      ? {name: 'ECDSA', hash: 'SHA-256'}
      : signer.keys.privateKey.algorithm
    : algorithm;
  const cert = await x509.X509CertificateGenerator.create({
    subject: `CN=${options.name}`,
    issuer: `CN=${signer?.name ?? options.name}`,
    notBefore: options.notBefore ?? new Date(Date.now() - HOUR),
    notAfter: options.notAfter ?? new Date(Date.now() + 24 * HOUR),
    publicKey: keys.publicKey,
    signingKey: (signer?.keys ?? keys).privateKey,
    signingAlgorithm,
    extensions: [new x509.BasicConstraintsExtension(options.ca ?? true, undefined, true)],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = createPrivateKey({key: pkcs8, format: 'der', type: 'pkcs8'}).export({format: 'pem', type: 'pkcs8'})
    .toString();
  return {pem: `${cert.toString('pem')}\n`, keyPem, keys, name: options.name};
}

export function generated(now = new Date()): Promise<LinkerdIdentityCredentials> {
  return generateLinkerdIdentity({trustDomain: 'cluster.local', trustAnchorValidityMs: 87_600 * HOUR,
    issuerValidityMs: 8760 * HOUR, now});
}

/** Writes PEM files into a fresh directory; returns their paths by the names given. */
export function pemFiles(files: Record<string, string>): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'sparc-mesh-certs-'));
  return Object.fromEntries(Object.entries(files).map(([name, content]) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return [name, path];
  }));
}

/** The base64 body of a PEM block, the part that must never leak, without its header lines. */
export function pemBody(pem: string): string {
  return pem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
}
