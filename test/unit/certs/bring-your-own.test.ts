// --trust-anchor-file, --issuer-cert-file, --issuer-key-file: accepted when Linkerd could
// use them, refused with the flag, the file and the reason otherwise.
import {createPrivateKey} from 'node:crypto';
import {describe, expect, it} from 'vitest';
import {loadLinkerdIdentity} from '../../../src/adapters/certs/bring-your-own.js';
import {UsageError} from '../../../src/errors.js';
import {generateLinkerdIdentity} from '../../../src/adapters/certs/generate.js';
import {generated, HOUR, makeCert, pemBody, pemFiles} from './fixtures.js';

function load(files: Record<string, string>) {
  return loadLinkerdIdentity({trustAnchorFile: files['ca.crt']!, issuerCertFile: files['issuer.crt']!,
    issuerKeyFile: files['issuer.key']!}, new Date());
}

function refusal(files: Record<string, string>): UsageError {
  try {
    load(files);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return error as UsageError;
  }
  throw new Error('the files were accepted');
}

describe('bring-your-own Linkerd identity credentials', async () => {
  const good = await generated();
  const goodFiles = {'ca.crt': good.trustAnchorsPem, 'issuer.crt': good.issuerCertPem,
    'issuer.key': good.issuerKey.reveal()};

  it('are taken as they are when Linkerd can use them', () => {
    const creds = load(pemFiles(goodFiles));
    expect(creds.trustAnchorsPem).toBe(good.trustAnchorsPem);
    expect(creds.issuerCaPem).toBe(good.trustAnchorsPem);
    expect(creds.issuerCertPem).toBe(good.issuerCertPem);
    expect(creds.issuerKey.reveal()).toBe(good.issuerKey.reveal());
    expect(creds.issuerNotAfter).toEqual(good.issuerNotAfter);
    expect(creds.trustAnchorNotAfter).toEqual(good.trustAnchorNotAfter);
  });

  it('accept a PKCS#8 key and write it back as SEC1 (EC PRIVATE KEY)', () => {
    const pkcs8 = createPrivateKey(good.issuerKey.reveal()).export({type: 'pkcs8', format: 'pem'}).toString();
    expect(pkcs8).toContain('BEGIN PRIVATE KEY');
    expect(load(pemFiles({...goodFiles, 'issuer.key': pkcs8})).issuerKey.reveal()).toBe(good.issuerKey.reveal());
  });

  it('accept a bundle of anchors (a rotation) and name the one that signed the issuer as its CA', async () => {
    const next = await generated();
    const creds = load(
      pemFiles({'ca.crt': good.trustAnchorsPem + next.trustAnchorsPem, 'issuer.crt': next.issuerCertPem,
        'issuer.key': next.issuerKey.reveal()}),
    );
    expect(creds.trustAnchorsPem).toBe(good.trustAnchorsPem + next.trustAnchorsPem);
    expect(creds.issuerCaPem).toBe(next.trustAnchorsPem);
  });

  it('pass on only the certificates of a file that also holds a key', () => {
    const creds = load(pemFiles({...goodFiles, 'ca.crt': good.trustAnchorsPem + good.issuerKey.reveal()}));
    expect(creds.trustAnchorsPem).toBe(good.trustAnchorsPem);
  });

  const cases: [string, () => Promise<Record<string, string>>, string, RegExp][] = [
    ['an empty file', async () => ({...goodFiles, 'ca.crt': ''}), 'ca.crt',
      /^--trust-anchor-file: \S+ca\.crt: holds no PEM certificate/],
    ['a key given as the anchor', async () => ({...goodFiles, 'ca.crt': good.issuerKey.reveal()}), 'ca.crt',
      /^--trust-anchor-file: \S+: holds no PEM certificate/],
    ['a damaged certificate',
      async () => ({...goodFiles, 'issuer.crt': good.issuerCertPem.replace(/\n[A-Za-z0-9+/]{20}/, '\nAAAA')}),
      'issuer.crt', /^--issuer-cert-file: \S+issuer\.crt: certificate 1 is not a valid X\.509 certificate/],
    ['an RSA anchor',
      async () => ({...goodFiles, 'ca.crt': (await makeCert({name: 'rsa-root', algorithm: 'RSA'})).pem}), 'ca.crt',
      /^--trust-anchor-file: \S+: the trust anchor has an RSA 2048-bit key, but Linkerd needs ECDSA P-256$/],
    ['a P-384 issuer', async () => {
      const root = await makeCert({name: 'root'});
      const issuer = await makeCert({name: 'issuer', algorithm: 'P-384', signer: root});
      return {'ca.crt': root.pem, 'issuer.crt': issuer.pem, 'issuer.key': issuer.keyPem};
    }, 'issuer.crt',
      /^--issuer-cert-file: \S+: the issuer certificate has an ECDSA P-384 key, but Linkerd needs ECDSA P-256$/],
    ['an issuer from another anchor', async () => ({...goodFiles, 'ca.crt': (await generated()).trustAnchorsPem}),
      'issuer.crt',
      /^--issuer-cert-file: \S+: the issuer certificate \(CN=identity\.linkerd\.cluster\.local, issued by CN=root\.linkerd\.cluster\.local\) is not signed by the trust anchor in --trust-anchor-file \S+ca\.crt$/],
    ['an expired issuer', async () => {
      const root = await makeCert({name: 'root'});
      const issuer = await makeCert({name: 'issuer', signer: root, notBefore: new Date(Date.now() - 48 * HOUR),
        notAfter: new Date(Date.now() - 24 * HOUR)});
      return {'ca.crt': root.pem, 'issuer.crt': issuer.pem, 'issuer.key': issuer.keyPem};
    }, 'issuer.crt', /^--issuer-cert-file: \S+: the issuer certificate \(CN=issuer\) expired on \d{4}-\d\d-\d\dT/],
    ['an anchor not yet valid',
      async () => ({...goodFiles,
        'ca.crt':
          (await makeCert({name: 'future', notBefore: new Date(Date.now() + 24 * HOUR),
            notAfter: new Date(Date.now() + 48 * HOUR)})).pem}), 'ca.crt',
      /^--trust-anchor-file: \S+: the trust anchor \(CN=future\) is not valid before /],
    ['an issuer that is not a CA', async () => {
      const root = await makeCert({name: 'root'});
      const leaf = await makeCert({name: 'leaf', signer: root, ca: false});
      return {'ca.crt': root.pem, 'issuer.crt': leaf.pem, 'issuer.key': leaf.keyPem};
    }, 'issuer.crt', /^--issuer-cert-file: \S+: the issuer certificate \(CN=leaf\) is not a CA certificate/],
    ['the key of another certificate',
      async () => ({...goodFiles, 'issuer.key': (await generated()).issuerKey.reveal()}), 'issuer.key',
      /^--issuer-key-file: \S+issuer\.key: is not the key of the certificate in --issuer-cert-file \S+issuer\.crt$/],
    ['a certificate given as the key', async () => ({...goodFiles, 'issuer.key': good.issuerCertPem}), 'issuer.key',
      /^--issuer-key-file: \S+: holds no readable private key/],
  ];

  for (const [name, files, blamed, message] of cases) {
    it(`refuse ${name}, naming the flag and the file`, async () => {
      const paths = pemFiles(await files());
      const error = refusal(paths);
      expect(error.message).toMatch(message);
      expect(error.message).toContain(paths[blamed]);
      expect(error.exitCode).toBe(2);
      expect(error.code).toBe('InvalidFile');
      // Nothing of any key, whichever file it was given in, is quoted back.
      for (const content of Object.values(await files())) {
        if (content.includes('PRIVATE KEY')) {
          expect(`${error.message} ${error.hint}`).not.toContain(pemBody(content).slice(0, 40));
        }
      }
    });
  }

  it('refuse an issuer that outlives its trust anchor, as a generated one is refused', async () => {
    const outliving = await generateLinkerdIdentity({trustDomain: 'cluster.local', trustAnchorValidityMs: 24 * HOUR,
      issuerValidityMs: 48 * HOUR, now: new Date()});
    const paths = pemFiles({'ca.crt': outliving.trustAnchorsPem, 'issuer.crt': outliving.issuerCertPem,
      'issuer.key': outliving.issuerKey.reveal()});
    const error = refusal(paths);
    expect(error.message).toMatch(
      new RegExp(
        `^--issuer-cert-file: ${
          paths['issuer.crt']
        }: the issuer certificate \\(CN=identity\\.linkerd\\.cluster\\.local\\) is valid until .+, after its trust anchor \\(CN=root\\.linkerd\\.cluster\\.local\\) expires on `,
      ),
    );
  });

  it('refuse an unreadable file with its error code', () => {
    const paths = pemFiles(goodFiles);
    const error = refusal({...paths, 'issuer.key': `${paths['issuer.key']}.missing`});
    expect(error.message).toBe(`--issuer-key-file: ${paths['issuer.key']}.missing: cannot be read (ENOENT)`);
  });
});
