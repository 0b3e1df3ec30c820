// Reads the certificates of a PEM bundle into plain facts (names, validity, fingerprint), for
// `certs status` and the rotations. Only CERTIFICATE blocks are read: a key in the same text
// (a Secret's tls.key, a file given in the wrong flag) is never parsed or passed on.
import {X509Certificate} from 'node:crypto';
import type {CertificateFacts} from '../../core/certs/status.js';

/** The CERTIFICATE blocks of a PEM text, without a trailing newline; anything else in it is left out. */
export function certificateBlocks(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

/** Every certificate of a PEM text, in order; a block that is not X.509 is reported as `unreadable`. */
export function readCertificates(pem: string): ({facts: CertificateFacts; pem: string} | {unreadable: number})[] {
  return certificateBlocks(pem).map((block, index) => {
    try {
      const cert = new X509Certificate(block);
      return {
        pem: `${block}\n`,
        facts: {
          subject: cert.subject.replaceAll('\n', ', '),
          issuer: cert.issuer.replaceAll('\n', ', '),
          notBefore: new Date(cert.validFrom).toISOString(),
          notAfter: new Date(cert.validTo).toISOString(),
          sha256: cert.fingerprint256.replaceAll(':', '').toLowerCase(),
          ca: cert.ca,
        },
      };
    } catch {
      return {unreadable: index + 1};
    }
  });
}
