// Generated credentials, read back with node:crypto (an implementation independent of the
// library that wrote them) and, for the extensions node:crypto does not expose, @peculiar/x509.
import 'reflect-metadata';
import {createPrivateKey, createPublicKey, X509Certificate} from 'node:crypto';
import {inspect} from 'node:util';
import * as x509 from '@peculiar/x509';
import {describe, expect, it} from 'vitest';
import {generateLinkerdIdentity} from '../../../src/adapters/certs/generate.js';
import {HOUR} from './fixtures.js';

// Whole seconds: X.509 times carry no milliseconds.
const NOW = new Date('2026-03-01T12:00:00Z');

async function generate(trustDomain = 'cluster.local', trustAnchorHours = 87_600, issuerHours = 8760) {
  return generateLinkerdIdentity({trustDomain, trustAnchorValidityMs: trustAnchorHours * HOUR,
    issuerValidityMs: issuerHours * HOUR, now: NOW});
}

function basicConstraints(pem: string) {
  const cert = new x509.X509Certificate(pem);
  const constraints = cert.getExtension(x509.BasicConstraintsExtension);
  const usages = cert.getExtension(x509.KeyUsagesExtension);
  return {ca: constraints?.ca, pathLength: constraints?.pathLength, critical: constraints?.critical,
    usages: usages?.usages};
}

describe('generated Linkerd identity credentials', async () => {
  const creds = await generate();
  const anchor = new X509Certificate(creds.trustAnchorsPem);
  const issuer = new X509Certificate(creds.issuerCertPem);

  it('are ECDSA P-256 keys', () => {
    for (const key of [anchor.publicKey, issuer.publicKey, createPrivateKey(creds.issuerKey.reveal())]) {
      expect(key.asymmetricKeyType).toBe('ec');
      expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    }
    expect(creds.issuerKey.reveal()).toMatch(/^-----BEGIN EC PRIVATE KEY-----\n/);
  });

  it('name the anchor root.linkerd.<trust domain> and the issuer identity.linkerd.<trust domain>', () => {
    expect(anchor.subject).toBe('CN=root.linkerd.cluster.local');
    expect(anchor.issuer).toBe('CN=root.linkerd.cluster.local');
    expect(issuer.subject).toBe('CN=identity.linkerd.cluster.local');
    expect(issuer.issuer).toBe('CN=root.linkerd.cluster.local');
    expect(issuer.subjectAltName).toBe('DNS:identity.linkerd.cluster.local');
  });

  it('follow the trust domain of the platform', async () => {
    const other = await generate('mesh.example.org');
    expect(new X509Certificate(other.trustAnchorsPem).subject).toBe('CN=root.linkerd.mesh.example.org');
    expect(new X509Certificate(other.issuerCertPem).subject).toBe('CN=identity.linkerd.mesh.example.org');
  });

  it('start now and last as long as asked', () => {
    expect(new Date(anchor.validFrom)).toEqual(NOW);
    expect(new Date(anchor.validTo)).toEqual(new Date('2036-02-27T12:00:00Z'));
    expect(new Date(issuer.validFrom)).toEqual(NOW);
    expect(new Date(issuer.validTo)).toEqual(new Date('2027-03-01T12:00:00Z'));
    expect(creds.trustAnchorNotAfter).toEqual(new Date(anchor.validTo));
    expect(creds.issuerNotAfter).toEqual(new Date(issuer.validTo));
  });

  it('make the anchor a root CA with one CA below it, and the issuer a CA of leaves only', () => {
    expect(anchor.ca).toBe(true);
    expect(issuer.ca).toBe(true);
    expect(basicConstraints(creds.trustAnchorsPem)).toEqual({ca: true, pathLength: 1, critical: true,
      usages: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign});
    expect(basicConstraints(creds.issuerCertPem)).toEqual({ca: true, pathLength: 0, critical: true,
      usages: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign});
  });

  it('chain: the anchor signs itself and the issuer; the issuer key belongs to the issuer certificate', () => {
    expect(anchor.verify(anchor.publicKey)).toBe(true);
    expect(issuer.verify(anchor.publicKey)).toBe(true);
    expect(issuer.checkIssued(anchor)).toBe(true);
    expect(issuer.verify(issuer.publicKey)).toBe(false);
    expect(creds.issuerCaPem).toBe(creds.trustAnchorsPem);
    const fromKey = createPublicKey(createPrivateKey(creds.issuerKey.reveal())).export({type: 'spki', format: 'der'});
    expect(fromKey.equals(issuer.publicKey.export({type: 'spki', format: 'der'}))).toBe(true);
  });

  it('differ on every run (fresh keys and serial numbers)', async () => {
    const again = await generate();
    expect(again.trustAnchorsPem).not.toBe(creds.trustAnchorsPem);
    expect(again.issuerKey.reveal()).not.toBe(creds.issuerKey.reveal());
    expect(new X509Certificate(again.issuerCertPem).serialNumber).not.toBe(issuer.serialNumber);
  });

  it('keep the private key out of strings, JSON and inspection', () => {
    const body = creds.issuerKey.reveal().split('\n')[1]!;
    for (const shown of [String(creds.issuerKey), `${creds.issuerKey}`, JSON.stringify(creds),
      inspect(creds, {depth: 5}), inspect(creds.issuerKey)])
    {
      expect(shown).not.toContain(body);
      expect(shown).not.toContain('PRIVATE KEY');
    }
    expect(JSON.stringify(creds)).toContain('"issuerKey":"[private key]"');
  });
});
