// certs status as data: days left at a given clock, the warning threshold, --fail-within, and one
// row per certificate however many places hold it; and reading facts from real PEM.
import {describe, expect, it} from 'vitest';
import {readCertificates} from '../../../src/adapters/certs/inspect.js';
import {certificateStatus, DAY_MS, statusRows, type CertificateFacts,
  type FoundCertificate} from '../../../src/core/certs/status.js';
import {HOUR, makeCert} from './fixtures.js';

const NOW = Date.parse('2027-01-01T00:00:00Z');

function facts(name: string, notAfter: number): CertificateFacts {
  return {subject: `CN=${name}`, issuer: 'CN=root', notBefore: new Date(NOW - DAY_MS).toISOString(),
    notAfter: new Date(notAfter).toISOString(), sha256: name, ca: true};
}

function found(name: string, notAfter: number, where = `linkerd/ConfigMap/${name}[ca.crt]`): FoundCertificate {
  return {mesh: 'linkerd', role: 'trust anchor', where, facts: facts(name, notAfter)};
}

describe('certificateStatus', () => {
  it('counts whole days left, rounding down, and marks under 60 days as expiring and past not-after as expired', () => {
    const status = certificateStatus([
      found('long', NOW + 365 * DAY_MS),
      found('edge', NOW + 60 * DAY_MS),
      found('soon', NOW + 59 * DAY_MS + 23 * HOUR),
      found('gone', NOW - HOUR),
    ], {now: NOW, warnWithinDays: 60});
    const byName = Object.fromEntries(status.rows.map((row) => [row.subject, [row.daysLeft, row.state]]));
    expect(byName).toEqual({'CN=long': [365, 'ok'], 'CN=edge': [60, 'ok'], 'CN=soon': [59, 'expiring'],
      'CN=gone': [-1, 'expired']});
    expect(status.warnings).toHaveLength(2);
    expect(status.warnings.find((line) => line.includes('CN=soon'))).toContain('expires in 59 days');
    expect(status.warnings.find((line) => line.includes('CN=gone'))).toContain('expired on');
    expect(status.failing).toEqual([]);
  });

  it('--fail-within lists every certificate with fewer days left, expired ones included', () => {
    const status = certificateStatus([found('a', NOW + 10 * DAY_MS), found('b', NOW + 30 * DAY_MS),
      found('c', NOW - DAY_MS)], {now: NOW, warnWithinDays: 5, failWithinDays: 30});
    expect(status.failing.map((row) => row.subject).sort()).toEqual(['CN=a', 'CN=c']);
  });

  it('a certificate found in several places is one row listing them all; rows sort by mesh, role, then not-after', () => {
    const status = certificateStatus([
      {mesh: 'istio', role: 'root CA', where: 'a/ConfigMap/istio-ca-root-cert[root-cert.pem]',
        facts: facts('istio-root', NOW + 100 * DAY_MS)},
      {mesh: 'istio', role: 'root CA', where: 'b/ConfigMap/istio-ca-root-cert[root-cert.pem]',
        facts: facts('istio-root', NOW + 100 * DAY_MS)},
      {mesh: 'linkerd', role: 'issuer', where: 'linkerd/Secret/linkerd-identity-issuer[tls.crt]',
        facts: facts('issuer', NOW + 5 * DAY_MS)},
      found('anchor-2', NOW + 900 * DAY_MS),
      found('anchor-1', NOW + 800 * DAY_MS),
    ], {now: NOW, warnWithinDays: 60});
    expect(status.rows.map((row) => `${row.mesh} ${row.role} ${row.subject}`)).toEqual([
      'istio root CA CN=istio-root',
      'linkerd trust anchor CN=anchor-1',
      'linkerd trust anchor CN=anchor-2',
      'linkerd issuer CN=issuer',
    ]);
    expect(status.rows[0]!.where).toEqual(['a/ConfigMap/istio-ca-root-cert[root-cert.pem]',
      'b/ConfigMap/istio-ca-root-cert[root-cert.pem]']);
    const cells = statusRows(status);
    expect(cells[0]!.at(-1)).toBe('a/ConfigMap/istio-ca-root-cert[root-cert.pem] and 1 more');
    expect(cells[3]!.slice(4, 6)).toEqual([new Date(NOW + 5 * DAY_MS).toISOString().slice(0, 10), '5 (expiring)']);
  });
});

describe('readCertificates', () => {
  it('reads subject, issuer, validity and fingerprint of each certificate, ignoring a key beside them', async () => {
    const notAfter = new Date(Math.floor(Date.now() / 1000) * 1000 + 48 * HOUR);
    const root = await makeCert({name: 'root.test'});
    const issuer = await makeCert({name: 'issuer.test', signer: root, notAfter});
    const read = readCertificates(`${issuer.pem}${issuer.keyPem}${root.pem}`);
    expect(read).toHaveLength(2);
    const [first, second] = read as {facts: CertificateFacts}[];
    expect(first!.facts).toMatchObject({subject: 'CN=issuer.test', issuer: 'CN=root.test',
      notAfter: notAfter.toISOString(), ca: true});
    expect(first!.facts.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(second!.facts.subject).toBe('CN=root.test');
  });

  it('reports a CERTIFICATE block that is not X.509 by its position', () => {
    expect(readCertificates('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toEqual([{
      unreadable: 1,
    }]);
  });
});
