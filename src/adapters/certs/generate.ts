// Generates Linkerd's trust anchor and issuer in-process, as `step certificate create
// --profile root-ca` and `--profile intermediate-ca` would (Linkerd's docs use step):
// ECDSA P-256 keys, a self-signed root allowed one CA below it, and an issuer CA that
// may sign only leaf certificates. @peculiar/x509 builds the certificates on WebCrypto.
import {createPrivateKey, webcrypto, type KeyObject} from 'node:crypto';
import {loadX509} from './x509.js';
import {PrivateKeyPem, type LinkerdIdentityCredentials, type LinkerdIdentityRequest} from './types.js';

const ECDSA_P256 = {name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256'} as const;

/** The trust anchor's name: `root.linkerd.<trust domain>`, as in Linkerd's docs. */
export function trustAnchorName(trustDomain: string): string {
  return `root.linkerd.${trustDomain}`;
}

/** The issuer's name: the identity controller expects `identity.linkerd.<trust domain>`. */
export function issuerName(trustDomain: string): string {
  return `identity.linkerd.${trustDomain}`;
}

/** SEC1 ("EC PRIVATE KEY"), the PEM step writes and Linkerd's docs show. */
async function privateKeyPem(key: webcrypto.CryptoKey): Promise<PrivateKeyPem> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  return new PrivateKeyPem(
    createPrivateKey({key: pkcs8, format: 'der', type: 'pkcs8'}).export({format: 'pem', type: 'sec1'}).toString(),
  );
}

type X509 = Awaited<ReturnType<typeof loadX509>>;

interface IssuerRequest {
  /** The issuer's common name, also its DNS SAN. */
  subject: string;
  /** The signing anchor's distinguished name and public key (for the authority key identifier). */
  anchorName: string;
  anchorPublicKey: webcrypto.CryptoKey;
  signingKey: webcrypto.CryptoKey;
  notBefore: Date;
  notAfter: Date;
}

/** An issuer CA, as `step certificate create --profile intermediate-ca` makes it: path length 0, a fresh P-256 key. */
async function createIssuer(x509: X509,
  request: IssuerRequest): Promise<{issuerCertPem: string; issuerKey: PrivateKeyPem}>
{
  const issuerKeys = await webcrypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
  const issuer = await x509.X509CertificateGenerator.create({
    subject: `CN=${request.subject}`,
    issuer: request.anchorName,
    notBefore: request.notBefore,
    notAfter: request.notAfter,
    publicKey: issuerKeys.publicKey,
    signingKey: request.signingKey,
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(issuerKeys.publicKey, false),
      await x509.AuthorityKeyIdentifierExtension.create(request.anchorPublicKey, false),
      // The name as a DNS SAN too (step adds it): verifiers that match a name ignore the CN.
      new x509.SubjectAlternativeNameExtension([{type: 'dns', value: request.subject}], false),
    ],
  });
  return {issuerCertPem: `${issuer.toString('pem')}\n`, issuerKey: await privateKeyPem(issuerKeys.privateKey)};
}

/** Whole seconds: X.509 times have no fractions, and the dates reported must be the certificates'. */
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

export interface IssuerRenewal {
  /** The trust anchor that signs, in PEM, and its private key. */
  anchorPem: string;
  anchorKey: KeyObject;
  /** The new issuer's name (the one it replaces keeps Linkerd's naming: identity.linkerd.<trust domain>). */
  subject: string;
  validityMs: number;
  now: Date;
}

/** A new issuer signed by an existing trust anchor (issuer rotation); the anchor's key is used for this one signature. */
export async function renewIssuer(
  request: IssuerRenewal,
): Promise<{issuerCertPem: string; issuerKey: PrivateKeyPem; issuerNotAfter: Date}> {
  const x509 = await loadX509();
  const anchor = new x509.X509Certificate(request.anchorPem);
  const signingKey = await webcrypto.subtle.importKey('pkcs8', request.anchorKey.export({type: 'pkcs8', format: 'der'}),
    {name: 'ECDSA', namedCurve: 'P-256'}, false, ['sign']);
  const notBefore = wholeSeconds(request.now);
  const issuerNotAfter = new Date(notBefore.getTime() + request.validityMs);
  const issuer = await createIssuer(x509, {subject: request.subject, anchorName: anchor.subject,
    anchorPublicKey: await anchor.publicKey.export(), signingKey, notBefore, notAfter: issuerNotAfter});
  return {...issuer, issuerNotAfter};
}

export async function generateLinkerdIdentity(request: LinkerdIdentityRequest): Promise<LinkerdIdentityCredentials> {
  const x509 = await loadX509();
  const caKeyUsages = new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true);
  const notBefore = wholeSeconds(request.now);
  const trustAnchorNotAfter = new Date(notBefore.getTime() + request.trustAnchorValidityMs);
  const issuerNotAfter = new Date(notBefore.getTime() + request.issuerValidityMs);

  // The anchor's key signs the issuer and is then dropped: it never leaves this process
  // (`linkerd install` does the same). Rotating the issuer later means new credentials.
  const anchorKeys = await webcrypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
  const anchor = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${trustAnchorName(request.trustDomain)}`,
    notBefore,
    notAfter: trustAnchorNotAfter,
    keys: anchorKeys,
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      caKeyUsages,
      await x509.SubjectKeyIdentifierExtension.create(anchorKeys.publicKey, false),
    ],
  });

  const issuer = await createIssuer(x509, {subject: issuerName(request.trustDomain), anchorName: anchor.subject,
    anchorPublicKey: anchorKeys.publicKey, signingKey: anchorKeys.privateKey, notBefore, notAfter: issuerNotAfter});

  const anchorPem = `${anchor.toString('pem')}\n`;
  return {
    trustAnchorsPem: anchorPem,
    issuerCaPem: anchorPem,
    ...issuer,
    trustAnchorNotAfter,
    issuerNotAfter,
  };
}
