// @peculiar/x509, loaded on first use so that commands that never read or make certificates
// do not pay for it. It resolves its parts through tsyringe, which needs the Reflect metadata API.
import type {ReadCertificateValidity} from '../../core/analyze/istio/context.js';

export async function loadX509() {
  await import('reflect-metadata');
  return import('@peculiar/x509');
}

/** A reader of PEM certificates' validity dates, for the analysers that judge certificates. */
export async function loadCertificateReader(): Promise<ReadCertificateValidity> {
  const x509 = await loadX509();
  return (pem) => {
    try {
      const certificate = new x509.X509Certificate(pem);
      return {notBefore: certificate.notBefore, notAfter: certificate.notAfter};
    } catch {
      return undefined;
    }
  };
}
