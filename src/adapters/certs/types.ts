// What Linkerd's identity needs (its docs: "Generating your own mTLS root certificates"):
// a trust anchor (public, shared by every proxy) and an issuer certificate with its key,
// which the identity controller uses to sign the proxies' certificates.
import {inspect} from 'node:util';

/**
 * A private key in PEM. It reads as a placeholder everywhere it could leak by accident
 * (string conversion, JSON, console.log, error messages); only `reveal()` gives the PEM,
 * and only the code that writes the 0600 file calls it.
 */
export class PrivateKeyPem {
  readonly #pem: string;

  constructor(pem: string) {
    this.#pem = pem;
  }

  reveal(): string {
    return this.#pem;
  }

  toString(): string {
    return '[private key]';
  }

  toJSON(): string {
    return this.toString();
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

export interface LinkerdIdentityCredentials {
  /** Every trust anchor the proxies accept (one, or a bundle while an anchor is rotated). */
  trustAnchorsPem: string;
  /** The trust anchor that signed the issuer. */
  issuerCaPem: string;
  issuerCertPem: string;
  issuerKey: PrivateKeyPem;
  trustAnchorNotAfter: Date;
  issuerNotAfter: Date;
}

/** Lifetimes and names of generated credentials; `now` is passed in so tests can fix the clock. */
export interface LinkerdIdentityRequest {
  trustDomain: string;
  trustAnchorValidityMs: number;
  issuerValidityMs: number;
  now: Date;
}
