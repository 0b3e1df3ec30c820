// Credentials the user brings (--trust-anchor-file, --issuer-cert-file, --issuer-key-file),
// checked before anything renders: Linkerd would otherwise accept them and fail at run
// time, when proxies cannot get certificates. Error messages name the flag and the file
// and never quote a file's contents (a key file could be named in the wrong flag).
import {createPrivateKey, createPublicKey, X509Certificate, type KeyObject} from 'node:crypto';
import {readFileSync} from 'node:fs';
import {UsageError} from '../../errors.js';
import {certificateBlocks} from './inspect.js';
import {PrivateKeyPem, type LinkerdIdentityCredentials} from './types.js';

export interface LinkerdIdentityFiles {
  trustAnchorFile: string;
  issuerCertFile: string;
  issuerKeyFile: string;
}

const HINT =
  "Linkerd needs ECDSA P-256 certificates: a trust anchor (CA) and an issuer (CA) signed by it, with the issuer's key (docs/linkerd-certificates.md)";

const CURVE_NAMES: Record<string, string> = {prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521'};

interface FileInput {
  flag: string;
  file: string;
  text: string;
}

function fileError(input: Pick<FileInput, 'flag' | 'file'>, problem: string): UsageError {
  return new UsageError(`--${input.flag}: ${input.file}: ${problem}`, HINT, 'InvalidFile');
}

function readInput(flag: string, file: string): FileInput {
  try {
    return {flag, file, text: readFileSync(file, 'utf8')};
  } catch (error) {
    throw fileError({flag, file}, `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** "ECDSA P-256", "RSA 2048-bit", "Ed25519": what a key is, for messages. */
export function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'ec') return `ECDSA ${CURVE_NAMES[details.namedCurve ?? ''] ?? details.namedCurve}`;
  if (key.asymmetricKeyType === 'rsa') return `RSA ${details.modulusLength}-bit`;
  if (key.asymmetricKeyType === 'ed25519') return 'Ed25519';
  return String(key.asymmetricKeyType);
}

function requireP256(input: FileInput, key: KeyObject, what: string): void {
  const kind = describeKey(key);
  if (kind !== 'ECDSA P-256') throw fileError(input, `${what} has an ${kind} key, but Linkerd needs ECDSA P-256`);
}

/** Only the CERTIFICATE blocks are taken: anything else in the file (a key) is never passed on. */
function certificates(input: FileInput): {pem: string; cert: X509Certificate}[] {
  const blocks = certificateBlocks(input.text);
  if (blocks.length === 0) throw fileError(input, 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  return blocks.map((pem, index) => {
    try {
      return {pem: `${pem}\n`, cert: new X509Certificate(pem)};
    } catch {
      throw fileError(input, `certificate ${index + 1} is not a valid X.509 certificate`);
    }
  });
}

function checkCaCertificate(input: FileInput, cert: X509Certificate, what: string, now: Date): void {
  requireP256(input, cert.publicKey, what);
  if (!cert.ca) throw fileError(input, `${what} (${cert.subject}) is not a CA certificate (basicConstraints CA:TRUE)`);
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (notAfter <= now) throw fileError(input, `${what} (${cert.subject}) expired on ${notAfter.toISOString()}`);
  if (notBefore > now) {
    throw fileError(input, `${what} (${cert.subject}) is not valid before ${notBefore.toISOString()}`);
  }
}

function readPrivateKey(input: FileInput): KeyObject {
  try {
    return createPrivateKey(input.text);
  } catch {
    throw fileError(input, 'holds no readable private key (an unencrypted PEM key is expected)');
  }
}

function spki(key: KeyObject): Buffer {
  return key.export({type: 'spki', format: 'der'});
}

/** Whether a private key is the key of a certificate. */
export function keyMatches(key: KeyObject, cert: X509Certificate): boolean {
  return spki(createPublicKey(key)).equals(spki(cert.publicKey));
}

/** A CA's ECDSA P-256 private key from a file (for signing a new issuer); the messages name the flag and the file, never the contents. */
export function loadSigningKey(flag: string, file: string): KeyObject {
  const input = readInput(flag, file);
  const key = readPrivateKey(input);
  requireP256(input, key, 'the private key');
  return key;
}

/** The certificate of a PEM bundle whose public key is the given private key's, in PEM with its subject. */
export function certificateOfKey(key: KeyObject, bundlePem: string): {pem: string; subject: string} | undefined {
  for (const pem of certificateBlocks(bundlePem)) {
    const cert = new X509Certificate(pem);
    if (keyMatches(key, cert)) return {pem: `${pem}\n`, subject: cert.subject};
  }
  return undefined;
}

/** Whether a certificate (the first of its PEM) was signed by a CA (the first of its PEM). */
export function signedBy(certPem: string, caPem: string): boolean {
  const [cert, ca] = [certificateBlocks(certPem)[0], certificateBlocks(caPem)[0]];
  if (!cert || !ca) return false;
  const [child, parent] = [new X509Certificate(cert), new X509Certificate(ca)];
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

/** The CA certificates of a file, each checked as a trust anchor is (P-256, CA, valid at `now`). */
export function loadCaCertificates(flag: string, file: string, now: Date): {pem: string; cert: X509Certificate}[] {
  const input = readInput(flag, file);
  const found = certificates(input);
  found.forEach(({cert}, index) =>
    checkCaCertificate(input, cert, found.length > 1 ? `certificate ${index + 1}` : 'the certificate', now)
  );
  return found;
}

export function loadLinkerdIdentity(files: LinkerdIdentityFiles, now: Date): LinkerdIdentityCredentials {
  const anchorInput = readInput('trust-anchor-file', files.trustAnchorFile);
  const certInput = readInput('issuer-cert-file', files.issuerCertFile);
  const keyInput = readInput('issuer-key-file', files.issuerKeyFile);

  const anchors = certificates(anchorInput);
  anchors.forEach(({cert}, index) =>
    checkCaCertificate(anchorInput, cert, anchors.length > 1 ? `trust anchor ${index + 1}` : 'the trust anchor', now)
  );
  // A chain file may follow the issuer with its CA; the first certificate is the issuer.
  const issuer = certificates(certInput)[0]!;
  checkCaCertificate(certInput, issuer.cert, 'the issuer certificate', now);

  const signer = anchors.find(({cert}) => issuer.cert.checkIssued(cert) && issuer.cert.verify(cert.publicKey));
  if (!signer) {
    throw fileError(certInput,
      `the issuer certificate (${issuer.cert.subject}, issued by ${issuer.cert.issuer}) is not signed by the trust anchor in --trust-anchor-file ${files.trustAnchorFile}`);
  }

  // Linkerd stops trusting the issuer when its anchor expires, whatever the issuer says; a
  // generated issuer is refused the same way (--issuer-validity beyond --trust-anchor-validity).
  const anchorEnd = new Date(signer.cert.validTo);
  const issuerEnd = new Date(issuer.cert.validTo);
  if (issuerEnd > anchorEnd) {
    throw fileError(certInput,
      `the issuer certificate (${issuer.cert.subject}) is valid until ${issuerEnd.toISOString()}, after its trust anchor (${signer.cert.subject}) expires on ${anchorEnd.toISOString()}`);
  }

  const key = readPrivateKey(keyInput);
  requireP256(keyInput, key, 'the private key');
  if (!keyMatches(key, issuer.cert)) {
    throw fileError(keyInput, `is not the key of the certificate in --issuer-cert-file ${files.issuerCertFile}`);
  }

  return {
    trustAnchorsPem: anchors.map(({pem}) => pem).join(''),
    issuerCaPem: signer.pem,
    issuerCertPem: issuer.pem,
    // Written back as SEC1 ("EC PRIVATE KEY"), whatever PEM form it came in.
    issuerKey: new PrivateKeyPem(key.export({type: 'sec1', format: 'pem'}).toString()),
    trustAnchorNotAfter: new Date(signer.cert.validTo),
    issuerNotAfter: new Date(issuer.cert.validTo),
  };
}
