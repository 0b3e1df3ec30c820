// install linkerd's identity credentials, run in-process: where the issuer's key goes (a 0600
// file under --output-dir, nowhere else), what is printed instead, and the refusals of bad
// bring-your-own files (exit 2, flag and file named). The run with DEBUG=* is the built CLI
// in its own process, because debug output is switched on when a process starts.
import {createPrivateKey, createPublicKey, X509Certificate} from 'node:crypto';
import {chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
import {REDACTED_KEY} from '../../src/actions/install/linkerd-certs.js';
import {cli, type CliResult} from '../helpers/cli.js';
import {runCommand} from '../helpers/run-command.js';
import {generated, makeCert, pemBody, pemFiles} from '../unit/certs/fixtures.js';

type Doc = {kind: string; metadata: {name: string; namespace?: string}; type?: string;
  stringData?: Record<string, string>; data?: Record<string, string>};

function outputDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'sparc-mesh-linkerd-')), 'out');
}

function docs(stream: string): Doc[] {
  return (yaml.loadAll(stream) as Doc[]).filter(Boolean);
}

function find(objects: Doc[], kind: string, name: string): Doc {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) {
    throw new Error(
      `no ${kind} ${name} among ${objects.map((object) => `${object.kind}/${object.metadata.name}`).join(', ')}`,
    );
  }
  return found;
}

function readDir(dir: string): {name: string; content: string; mode: number}[] {
  return readdirSync(dir).sort().map((name) => ({name, content: readFileSync(join(dir, name), 'utf8'),
    mode: statSync(join(dir, name)).mode & 0o777})
  );
}

/**
 * Every form of a key that could leak: each line of its PEM body (YAML indents them), its
 * body on one line (JSON), its PEM and DER in base64 (a Secret's `data`).
 */
function keyForms(keyPem: string): string[] {
  const der = createPrivateKey(keyPem).export({type: 'sec1', format: 'der'});
  const pkcs8 = createPrivateKey(keyPem).export({type: 'pkcs8', format: 'der'});
  const lines = keyPem.split('\n').filter((line) => line && !line.startsWith('-----'));
  return [...lines, pemBody(keyPem), Buffer.from(keyPem).toString('base64').slice(0, 40),
    der.toString('base64').slice(4, 44), pkcs8.toString('base64').slice(4, 44)];
}

function expectNoKey(channels: Record<string, string>, keyPem: string): void {
  for (const [channel, text] of Object.entries(channels)) {
    for (const form of keyForms(keyPem)) expect(text.includes(form), `the key appears in ${channel}`).toBe(false);
    expect(text, channel).not.toContain('PRIVATE KEY');
  }
}

function channels(result: CliResult): Record<string, string> {
  return {stdout: result.stdout, stderr: result.stderr};
}

describe('install linkerd: identity credentials', () => {
  it('--output-dir writes the issuer Secret with its key in a 0600 file, the trust roots, and the anchor in the values', async () => {
    const dir = outputDir();
    const result = await runCommand(['install', 'linkerd', '--output-dir', dir, '--trust-anchor-validity', '48h',
      '--issuer-validity', '24h']);
    expect(result.status).toBe(0);
    expect(result.stderr).toContain('note: generated a trust anchor (root.linkerd.cluster.local, valid until');
    const files = readDir(dir);
    expect(files.slice(0, 3).map((file) => file.name)).toEqual([
      '001-configmap-linkerd.sparc-mesh-linkerd-values.yaml',
      '002-secret-linkerd.linkerd-identity-issuer.yaml',
      '003-configmap-linkerd.linkerd-identity-trust-roots.yaml',
    ]);
    for (const file of files) expect(file.mode, file.name).toBe(file.name.includes('-secret-') ? 0o600 : 0o644);

    const [valuesFile, secretFile, rootsFile] = files.map((file) => yaml.load(file.content) as Doc);
    expect(secretFile!.type).toBe('kubernetes.io/tls');
    const {'tls.crt': crt, 'tls.key': key, 'ca.crt': ca} = secretFile!.stringData!;
    const values = yaml.load(valuesFile!.data!['values.yaml']!) as {identityTrustAnchorsPEM: string; identity: unknown};
    expect(values.identity).toEqual({externalCA: true, issuer: {scheme: 'kubernetes.io/tls'}});
    expect(values.identityTrustAnchorsPEM).toBe(ca);
    expect(rootsFile!.data).toEqual({'ca-bundle.crt': ca});

    const anchor = new X509Certificate(ca!);
    const issuer = new X509Certificate(crt!);
    expect(issuer.verify(anchor.publicKey)).toBe(true);
    expect(new Date(issuer.validTo).getTime() - new Date(issuer.validFrom).getTime()).toBe(24 * 3_600_000);
    expect(new Date(anchor.validTo).getTime() - new Date(anchor.validFrom).getTime()).toBe(48 * 3_600_000);
    expect(
      createPublicKey(key!).export({type: 'spki', format: 'der'}).equals(
        issuer.publicKey.export({type: 'spki', format: 'der'}),
      ),
    ).toBe(true);

    // The key is in the Secret's file and nowhere else: not in the output, not in any other file.
    expectNoKey({...channels(result),
      ...Object.fromEntries(files.filter((file) => file !== files[1]).map((file) => [file.name, file.content]))}, key!);
  });

  it('a second run over the same directory leaves the Secret file 0600 even if it was opened up', async () => {
    const dir = outputDir();
    expect((await runCommand(['install', 'linkerd', '--output-dir', dir])).status).toBe(0);
    const secretPath = join(dir, '002-secret-linkerd.linkerd-identity-issuer.yaml');
    chmodSync(secretPath, 0o644);
    expect((await runCommand(['install', 'linkerd', '--output-dir', dir])).status).toBe(0);
    expect(statSync(secretPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(secretPath, 'utf8')).toContain('BEGIN EC PRIVATE KEY');
  });

  it('--dry-run prints the Secret with a placeholder for the key and the public certificates as they are', async () => {
    const result = await runCommand(['install', 'linkerd', '--dry-run']);
    expect(result.status).toBe(0);
    const secret = find(docs(result.stdout), 'Secret', 'linkerd-identity-issuer');
    expect(secret.stringData!['tls.key']).toBe(REDACTED_KEY);
    expect(
      new X509Certificate(secret.stringData!['tls.crt']!).verify(
        new X509Certificate(secret.stringData!['ca.crt']!).publicKey,
      ),
    ).toBe(true);
    expect(find(docs(result.stdout), 'ConfigMap', 'linkerd-identity-trust-roots').data!['ca-bundle.crt']).toBe(
      secret.stringData!['ca.crt'],
    );
    expect(result.stdout).not.toContain('PRIVATE KEY');
  });

  it("--json reports the credentials' lifetimes and carries the placeholder, never the key", async () => {
    const result = await runCommand(['install', 'linkerd', '--dry-run', '--json', '--issuer-validity', '720h']);
    expect(result.status).toBe(0);
    const envelope = JSON.parse(result.stdout) as {
      result: {identity: {source: string; trustDomain: string; issuerNotAfter: string}; objects: Doc[]};
    };
    expect(envelope.result.identity).toMatchObject({source: 'generated', trustDomain: 'cluster.local'});
    expect(new Date(envelope.result.identity.issuerNotAfter).getTime() - Date.now()).toBeGreaterThan(719 * 3_600_000);
    expect(find(envelope.result.objects, 'Secret', 'linkerd-identity-issuer').stringData!['tls.key']).toBe(
      REDACTED_KEY,
    );
  });

  it('the trust domain of the platform config names the certificates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparc-mesh-'));
    writeFileSync(join(dir, 'sparc-mesh.yaml'), 'mesh: linkerd\ntrustDomain: mesh.example.org\n');
    const result = await runCommand(['install', 'linkerd', '--dry-run'], {cwd: dir});
    expect(result.status).toBe(0);
    const secret = find(docs(result.stdout), 'Secret', 'linkerd-identity-issuer');
    expect(new X509Certificate(secret.stringData!['ca.crt']!).subject).toBe('CN=root.linkerd.mesh.example.org');
    expect(new X509Certificate(secret.stringData!['tls.crt']!).subject).toBe('CN=identity.linkerd.mesh.example.org');
  });
});

describe('install linkerd: bring your own credentials', async () => {
  const creds = await generated();
  const keyPem = creds.issuerKey.reveal();
  const files = pemFiles({'ca.crt': creds.trustAnchorsPem, 'issuer.crt': creds.issuerCertPem, 'issuer.key': keyPem});
  const own = ['--trust-anchor-file', files['ca.crt']!, '--issuer-cert-file', files['issuer.crt']!, '--issuer-key-file',
    files['issuer.key']!];

  it('uses them, and the key appears on no output channel of any output mode, only in the 0600 file', async () => {
    const runs = {
      yaml: await runCommand(['install', 'linkerd', '--dry-run', ...own]),
      json: await runCommand(['install', 'linkerd', '--dry-run', '-o', 'json', ...own]),
      envelope: await runCommand(['install', 'linkerd', '--dry-run', '--json', ...own]),
      debug: cli(['install', 'linkerd', '--dry-run', ...own], {env: {DEBUG: '*'}}),
    };
    for (const [mode, result] of Object.entries(runs)) {
      expect(result.status, mode).toBe(0);
      expectNoKey(
        Object.fromEntries(Object.entries(channels(result)).map(([channel, text]) => [`${mode} ${channel}`, text])),
        keyPem,
      );
    }
    const secret = find(docs(runs.yaml.stdout), 'Secret', 'linkerd-identity-issuer');
    expect(secret.stringData).toEqual({'tls.crt': creds.issuerCertPem, 'tls.key': REDACTED_KEY,
      'ca.crt': creds.trustAnchorsPem});
    expect(runs.yaml.stderr).toContain(`note: using the trust anchor of ${files['ca.crt']}`);

    const dir = outputDir();
    const written = await runCommand(['install', 'linkerd', '--output-dir', dir, '--json', ...own]);
    expect(written.status).toBe(0);
    const out = readDir(dir);
    const withKey = out.filter((file) => keyForms(keyPem).some((form) => file.content.includes(form)));
    expect(withKey.map((file) => [file.name, file.mode])).toEqual([['002-secret-linkerd.linkerd-identity-issuer.yaml',
      0o600]]);
    expectNoKey({...channels(written),
      ...Object.fromEntries(out.filter((file) => !withKey.includes(file)).map((file) => [file.name, file.content]))},
      keyPem);
  });

  const refusals: [string, () => Promise<string[]>, RegExp][] = [
    ['only some of the files', async () => ['--trust-anchor-file', files['ca.crt']!],
      /--trust-anchor-file, --issuer-cert-file and --issuer-key-file go together/],
    ['lifetimes with files', async () => [...own, '--issuer-validity', '24h'],
      /--trust-anchor-validity and --issuer-validity apply only to generated credentials/],
    ['a lifetime that is not a duration', async () => ['--issuer-validity', '1y'],
      /--issuer-validity: "1y" is not a duration/],
    ['a zero lifetime', async () => ['--trust-anchor-validity', '0h'],
      /--trust-anchor-validity: "0h" must be longer than zero/],
    ['an issuer outliving its anchor', async () => ['--trust-anchor-validity', '24h', '--issuer-validity', '48h'],
      /--issuer-validity: "48h" outlives the trust anchor \(--trust-anchor-validity 24h\)/],
    ['an RSA trust anchor', async () => {
      const rsa = pemFiles({'rsa.crt': (await makeCert({name: 'rsa', algorithm: 'RSA'})).pem});
      return [...own.slice(2), '--trust-anchor-file', rsa['rsa.crt']!];
    }, /--trust-anchor-file: \S+rsa\.crt: the trust anchor has an RSA 2048-bit key, but Linkerd needs ECDSA P-256/],
    ['the key of another issuer', async () => {
      const other = pemFiles({'other.key': (await generated()).issuerKey.reveal()});
      return [...own.slice(0, 4), '--issuer-key-file', other['other.key']!];
    }, /--issuer-key-file: \S+other\.key: is not the key of the certificate in --issuer-cert-file \S+issuer\.crt/],
    ['a missing file', async () => [...own.slice(0, 4), '--issuer-key-file', '/nonexistent/issuer.key'],
      /--issuer-key-file: \/nonexistent\/issuer\.key: cannot be read \(ENOENT\)/],
  ];

  for (const [name, args, message] of refusals) {
    it(`refuses ${name}: exit 2, nothing written`, async () => {
      const dir = outputDir();
      const result = await runCommand(['install', 'linkerd', '--output-dir', dir, ...await args()]);
      expect(result.stderr).toMatch(message);
      expect(result.status).toBe(2);
      expect(existsSync(dir)).toBe(false);
      expect(result.stdout).toBe('');
      expectNoKey(channels(result), keyPem);
    });
  }
});
