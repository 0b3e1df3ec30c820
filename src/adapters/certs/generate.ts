// Generates Linkerd's trust anchor and issuer in-process, as `step certificate create
// --profile root-ca` and `--profile intermediate-ca` would (Linkerd's docs use step):
// ECDSA P-256 keys, a self-signed root allowed one CA below it, and an issuer CA that
// may sign only leaf certificates. @peculiar/x509 builds the certificates on WebCrypto.
import {createPrivateKey, webcrypto} from 'node:crypto';
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
  return new PrivateKeyPem(createPrivateKey({key: pkcs8, format: 'der', type: 'pkcs8'}).export({format: 'pem', type: 'sec1'}).toString());
}

export async function generateLinkerdIdentity(request: LinkerdIdentityRequest): Promise<LinkerdIdentityCredentials> {
  const x509 = await loadX509();
  const caKeyUsages = new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true);
  // Whole seconds: X.509 times have no fractions, and the dates reported must be the certificates'.
  const notBefore = new Date(Math.floor(request.now.getTime() / 1000) * 1000);
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

  const issuerKeys = await webcrypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']);
  const issuerDnsName = issuerName(request.trustDomain);
  const issuer = await x509.X509CertificateGenerator.create({
    subject: `CN=${issuerDnsName}`,
    issuer: anchor.subject,
    notBefore,
    notAfter: issuerNotAfter,
    publicKey: issuerKeys.publicKey,
    signingKey: anchorKeys.privateKey,
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      caKeyUsages,
      await x509.SubjectKeyIdentifierExtension.create(issuerKeys.publicKey, false),
      await x509.AuthorityKeyIdentifierExtension.create(anchorKeys.publicKey, false),
      // The name as a DNS SAN too (step adds it): verifiers that match a name ignore the CN.
      new x509.SubjectAlternativeNameExtension([{type: 'dns', value: issuerDnsName}], false),
    ],
  });

  const anchorPem = `${anchor.toString('pem')}\n`;
  return {
    trustAnchorsPem: anchorPem,
    issuerCaPem: anchorPem,
    issuerCertPem: `${issuer.toString('pem')}\n`,
    issuerKey: await privateKeyPem(issuerKeys.privateKey),
    trustAnchorNotAfter,
    issuerNotAfter,
  };
}
