// certs status against the real API server: certificates made for the test are stored where
// Linkerd and Istio keep them, some short-lived, and the command must list each with its days
// left, warn, fail with --fail-within, and never print the issuer's key it reads beside them.
import {createPrivateKey, createPublicKey, X509Certificate} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import yaml from 'js-yaml';
import {beforeAll, describe, expect, it} from 'vitest';
import {ClientNodeKubeClient} from '../../src/adapters/kube/client-node.js';
import type {CertificateRow} from '../../src/core/certs/status.js';
import {testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {runCommand} from '../helpers/run-command.js';
import {makeCert, pemBody, type TestCert} from '../unit/certs/fixtures.js';

const DAY = 86_400_000;
const LINKERD_NS = 'e2e-certs-linkerd';
const ISTIO_NS = 'e2e-certs-istio';
const APP_NAMESPACES = ['e2e-certs-app1', 'e2e-certs-app2'];

async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args], {input, reject: false,
    all: true});
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.exitCode}:\n${result.all}`);
  return result.stdout;
}

const base64 = (text: string) => Buffer.from(text).toString('base64');

function configMap(namespace: string, name: string, data: Record<string, string>, labels?: Record<string, string>) {
  return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {namespace, name, labels}, data};
}

function secret(namespace: string, name: string, type: string, data: Record<string, string>) {
  return {apiVersion: 'v1', kind: 'Secret', metadata: {namespace, name}, type,
    data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, base64(value)]))};
}

async function storeObjects(objects: object[]): Promise<void> {
  await kubectl(['apply', '-f', '-'], JSON.stringify({apiVersion: 'v1', kind: 'List', items: objects}));
}

/** In-process (the command's modules load through tsx's require, which cannot import the client lazily): the real client is handed in. */
const realCluster = {deps: {connect: ClientNodeKubeClient.connect.bind(ClientNodeKubeClient)}};

function status(args: string[] = []) {
  return runCommand(['certs', 'status', '--kubeconfig', testKubeconfig(), '--linkerd-namespace', LINKERD_NS,
    '--istio-namespace', ISTIO_NS, ...args], realCluster);
}

type Envelope = {status: number;
  result: {rows: CertificateRow[]; failing: CertificateRow[]; warnings: string[]; problems: string[]};
  warnings: string[]};

let anchor: TestCert;
let issuer: TestCert;
let istioRoot: TestCert;
let istioCa: TestCert;

beforeAll(async () => {
  await kubectl(['delete', 'namespace', LINKERD_NS, ISTIO_NS, ...APP_NAMESPACES, '--ignore-not-found', '--wait=true',
    '--timeout=120s']);
  for (const namespace of [LINKERD_NS, ISTIO_NS, ...APP_NAMESPACES]) await kubectl(['create', 'namespace', namespace]);
  const now = Date.now();
  anchor = await makeCert({name: 'root.linkerd.cluster.local', notAfter: new Date(now + 365 * DAY + 3_600_000)});
  issuer = await makeCert({name: 'identity.linkerd.cluster.local', signer: anchor,
    notAfter: new Date(now + 10 * DAY + 3_600_000)});
  istioRoot = await makeCert({name: 'istio-root', notAfter: new Date(now + 400 * DAY + 3_600_000)});
  istioCa = await makeCert({name: 'istio-ca', signer: istioRoot, notAfter: new Date(now + 30 * DAY + 3_600_000)});
  await storeObjects([
    configMap(LINKERD_NS, 'linkerd-identity-trust-roots', {'ca-bundle.crt': anchor.pem}),
    secret(LINKERD_NS, 'linkerd-identity-issuer', 'kubernetes.io/tls', {'tls.crt': issuer.pem, 'tls.key': issuer.keyPem,
      'ca.crt': anchor.pem}),
    secret(ISTIO_NS, 'cacerts', 'Opaque', {'ca-cert.pem': istioCa.pem, 'ca-key.pem': istioCa.keyPem,
      'root-cert.pem': istioRoot.pem, 'cert-chain.pem': istioCa.pem + istioRoot.pem}),
    ...APP_NAMESPACES.map((namespace) =>
      configMap(namespace, 'istio-ca-root-cert', {'root-cert.pem': istioRoot.pem}, {'istio.io/config': 'true'})
    ),
  ]);
});

const ours = (rows: CertificateRow[]) =>
  rows.filter((row) => row.where.some((where) => where.startsWith('e2e-certs-')));

describe('certs status against the cluster', () => {
  it("lists the trust anchor, the issuer, Istio's root and CA with their days left, and warns about the issuer and the CA", async () => {
    const run = await status(['--json']);
    expect(run.status, run.stderr).toBe(0);
    const {result, warnings} = JSON.parse(run.stdout) as Envelope;
    const rows = ours(result.rows).map((row) => ({mesh: row.mesh, role: row.role, subject: row.subject,
      issuer: row.issuer, daysLeft: row.daysLeft, state: row.state, where: row.where})
    );
    expect(rows).toEqual([
      {mesh: 'istio', role: 'root CA', subject: 'CN=istio-root', issuer: 'CN=istio-root', daysLeft: 400, state: 'ok',
        where: [
          `${ISTIO_NS}/Secret/cacerts[root-cert.pem]`,
          ...APP_NAMESPACES.map((namespace) => `${namespace}/ConfigMap/istio-ca-root-cert[root-cert.pem]`),
        ]},
      {mesh: 'istio', role: 'CA', subject: 'CN=istio-ca', issuer: 'CN=istio-root', daysLeft: 30, state: 'expiring',
        where: [`${ISTIO_NS}/Secret/cacerts[ca-cert.pem]`]},
      {mesh: 'linkerd', role: 'trust anchor', subject: 'CN=root.linkerd.cluster.local',
        issuer: 'CN=root.linkerd.cluster.local', daysLeft: 365, state: 'ok',
        where: [`${LINKERD_NS}/ConfigMap/linkerd-identity-trust-roots[ca-bundle.crt]`]},
      {mesh: 'linkerd', role: 'issuer', subject: 'CN=identity.linkerd.cluster.local',
        issuer: 'CN=root.linkerd.cluster.local', daysLeft: 10, state: 'expiring',
        where: [`${LINKERD_NS}/Secret/linkerd-identity-issuer[tls.crt]`]},
    ]);
    expect(warnings.filter((line) => line.includes('expires in'))).toEqual(expect.arrayContaining([
      expect.stringContaining('linkerd issuer CN=identity.linkerd.cluster.local expires in 10 days'),
      expect.stringContaining('istio CA CN=istio-ca expires in 30 days'),
    ]));
    expect(result.problems).toEqual([]);
  });

  it('prints a table, and exits 3 with --fail-within when a certificate has fewer days left; 0 when none has', async () => {
    const table = await status();
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^MESH\s+ROLE\s+SUBJECT\s+ISSUER\s+NOT AFTER\s+DAYS LEFT\s+WHERE$/m);
    expect(table.stdout).toMatch(
      /^linkerd\s+issuer\s+CN=identity\.linkerd\.cluster\.local\s+CN=root\.linkerd\.cluster\.local\s+\S+\s+10 \(expiring\)\s+e2e-certs-linkerd\/Secret\/linkerd-identity-issuer\[tls\.crt\]$/m,
    );
    expect(table.stdout).toMatch(
      /^istio\s+root CA\s+CN=istio-root\s.*\s400\s+e2e-certs-istio\/Secret\/cacerts\[root-cert\.pem\] and 2 more$/m,
    );
    expect(table.stderr).toContain('warning: linkerd issuer CN=identity.linkerd.cluster.local expires in 10 days');

    const failing = await status(['--fail-within', '20', '--json']);
    expect(failing.status).toBe(3);
    const envelope = JSON.parse(failing.stdout) as Envelope;
    expect(envelope.status).toBe(3);
    expect(ours(envelope.result.failing).map((row) => row.subject)).toEqual(['CN=identity.linkerd.cluster.local']);

    const failingTable = await status(['--fail-within', '31']);
    expect(failingTable.status).toBe(3);
    expect(failingTable.stderr).toContain('2 certificates have fewer than 31 days left (--fail-within)');

    expect((await status(['--fail-within', '5'])).status).toBe(0);
  });

  it('never prints the keys stored beside the certificates', async () => {
    let output = '';
    // One at a time: each run captures the process's stdout and stderr.
    for (const args of [[], ['--json'], ['--fail-within', '400']]) {
      const run = await status(args);
      output += run.stdout + run.stderr;
    }
    expect(output).toContain('CN=identity.linkerd.cluster.local');
    for (const key of [issuer.keyPem, istioCa.keyPem]) {
      expect(output).not.toContain(pemBody(key).slice(0, 40));
      expect(output).not.toContain(base64(key).slice(0, 40));
      for (const line of key.split('\n').filter((text) => text && !text.startsWith('-----'))) {
        expect(output).not.toContain(line);
      }
    }
    expect(output).not.toContain('PRIVATE KEY');
  });

  it('--fail-within must be a whole number of days', async () => {
    const run = await status(['--fail-within', 'soon']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('--fail-within');
  });
});

describe('certs rotate linkerd --issuer against the cluster', () => {
  const NS = 'e2e-certs-rotate';
  let rotationAnchor: TestCert;
  let oldIssuer: TestCert;
  let anchorKeyFile: string;

  const rotate = (args: string[]) =>
    runCommand(['certs', 'rotate', 'linkerd', '--issuer', '--kubeconfig', testKubeconfig(), '--linkerd-namespace', NS,
      ...args], realCluster);
  const issuerSecret = async () =>
    JSON.parse(await kubectl(['get', 'secret', 'linkerd-identity-issuer', '-n', NS, '-o', 'json'])) as {
      metadata: {resourceVersion: string};
      data: Record<string, string>;
    };
  const decoded = (data: Record<string, string>) =>
    Object.fromEntries(
      Object.entries(data).map(([field, value]) => [field, Buffer.from(value, 'base64').toString('utf8')]),
    );

  beforeAll(async () => {
    await kubectl(['delete', 'namespace', NS, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    await kubectl(['create', 'namespace', NS]);
    rotationAnchor = await makeCert({name: 'root.linkerd.cluster.local', notAfter: new Date(Date.now() + 3650 * DAY)});
    oldIssuer = await makeCert({name: 'identity.linkerd.cluster.local', signer: rotationAnchor,
      notAfter: new Date(Date.now() + 20 * DAY)});
    const dir = mkdtempSync(join(tmpdir(), 'sparc-mesh-rotate-'));
    anchorKeyFile = join(dir, 'ca.key');
    writeFileSync(anchorKeyFile, rotationAnchor.keyPem, {mode: 0o600});
    await storeObjects([
      configMap(NS, 'linkerd-identity-trust-roots', {'ca-bundle.crt': rotationAnchor.pem}),
      secret(NS, 'linkerd-identity-issuer', 'kubernetes.io/tls', {'tls.crt': oldIssuer.pem, 'tls.key': oldIssuer.keyPem,
        'ca.crt': rotationAnchor.pem}),
    ]);
  });

  it('--plan lists the step and changes nothing; the rotation replaces the Secret with an issuer chaining to the anchor, the old key gone, no key printed', async () => {
    const before = await issuerSecret();
    const plan = await rotate(['--trust-anchor-key', anchorKeyFile, '--plan']);
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toContain(
      `1. sign a new issuer with the trust anchor CN=root.linkerd.cluster.local and replace Secret ${NS}/linkerd-identity-issuer`,
    );
    expect((await issuerSecret()).metadata.resourceVersion).toBe(before.metadata.resourceVersion);

    const run = await rotate(['--trust-anchor-key', anchorKeyFile, '--issuer-validity', '720h', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const result =
      (JSON.parse(run.stdout) as {result: {done: boolean; issuer: CertificateRow; previousIssuer: CertificateRow}})
        .result;
    expect(result.done).toBe(true);

    const after = decoded((await issuerSecret()).data);
    expect(Object.keys(after).sort()).toEqual(['ca.crt', 'tls.crt', 'tls.key']);
    const newCert = new X509Certificate(after['tls.crt']!);
    const anchorCert = new X509Certificate(rotationAnchor.pem);
    expect(newCert.checkIssued(anchorCert) && newCert.verify(anchorCert.publicKey)).toBe(true);
    expect(newCert.ca).toBe(true);
    expect(newCert.subject).toBe('CN=identity.linkerd.cluster.local');
    expect(Math.round((Date.parse(newCert.validTo) - Date.now()) / DAY)).toBe(30);
    expect(
      createPublicKey(createPrivateKey(after['tls.key']!)).export({type: 'spki', format: 'der'}).equals(
        newCert.publicKey.export({type: 'spki', format: 'der'}),
      ),
    ).toBe(true);
    expect(after['ca.crt']).toBe(rotationAnchor.pem);
    expect(newCert.fingerprint256).not.toBe(new X509Certificate(oldIssuer.pem).fingerprint256);
    expect(Object.values(after).some((value) => value.includes(pemBody(oldIssuer.keyPem).slice(0, 40)))).toBe(false);
    expect(result.issuer.sha256).toBe(newCert.fingerprint256.replaceAll(':', '').toLowerCase());
    expect(result.previousIssuer.sha256).toBe(
      new X509Certificate(oldIssuer.pem).fingerprint256.replaceAll(':', '').toLowerCase(),
    );

    const table = await rotate(['--trust-anchor-key', anchorKeyFile]);
    expect(table.status, table.stderr).toBe(0);
    expect(table.stdout).toMatch(
      /^Issuer rotated: CN=identity\.linkerd\.cluster\.local, signed by CN=root\.linkerd\.cluster\.local, valid until \S+; it replaced the issuer valid until \S+, whose key is gone\.$/m,
    );

    const output = [plan, run, table].map((each) => each.stdout + each.stderr).join('\n');
    const latest = decoded((await issuerSecret()).data)['tls.key']!;
    for (const key of [after['tls.key']!, latest, oldIssuer.keyPem, rotationAnchor.keyPem]) {
      expect(output).not.toContain(pemBody(key).slice(0, 40));
      expect(output).not.toContain(base64(key).slice(0, 40));
      for (const line of key.split('\n').filter((text) => text && !text.startsWith('-----'))) {
        expect(output).not.toContain(line);
      }
    }
    expect(output).not.toContain('PRIVATE KEY');

    const status = await runCommand(['certs', 'status', '--kubeconfig', testKubeconfig(), '--linkerd-namespace', NS,
      '--json'], realCluster);
    const issuerRow = (JSON.parse(status.stdout) as Envelope).result.rows.find((row) =>
      row.mesh === 'linkerd' && row.role === 'issuer'
    );
    expect(issuerRow).toMatchObject({daysLeft: 364, state: 'ok'});
  });

  it('refuses a key that belongs to no trust anchor of the cluster (exit 2, the flag and file named, nothing changed)', async () => {
    const before = await issuerSecret();
    const stranger = await makeCert({name: 'root.elsewhere'});
    const file = join(mkdtempSync(join(tmpdir(), 'sparc-mesh-rotate-')), 'other.key');
    writeFileSync(file, stranger.keyPem, {mode: 0o600});
    const run = await rotate(['--trust-anchor-key', file]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      `--trust-anchor-key: ${file}: is not the key of any trust anchor in ConfigMap ${NS}/linkerd-identity-trust-roots`,
    );
    expect(run.stderr).not.toContain(pemBody(stranger.keyPem).slice(0, 40));
    expect((await issuerSecret()).metadata.resourceVersion).toBe(before.metadata.resourceVersion);

    const missing = await rotate([]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('--trust-anchor-key is required');
  });
});

describe('certs rotate linkerd --trust-anchor against the cluster', () => {
  const NS = 'e2e-certs-anchor';
  const MESHED = 'e2e-certs-meshed';
  let oldAnchor: TestCert;
  let newAnchor: TestCert;
  let files: string[];

  const rotate = (args: string[]) =>
    runCommand(['certs', 'rotate', 'linkerd', '--trust-anchor', '--kubeconfig', testKubeconfig(), '--linkerd-namespace',
      NS, '--new-trust-anchor-file', files[0]!, '--new-trust-anchor-key', files[1]!, '--wait-timeout', '2m', ...args],
      realCluster);
  const trustRoots = async () =>
    JSON.parse(await kubectl(['get', 'configmap', 'linkerd-identity-trust-roots', '-n', NS, '-o', 'json'])) as {
      metadata: {resourceVersion: string};
      data: Record<string, string>;
    };
  const issuerCert = async () =>
    new X509Certificate(
      Buffer.from(
        (JSON.parse(await kubectl(['get', 'secret', 'linkerd-identity-issuer', '-n', NS, '-o', 'json'])) as {
          data: Record<string, string>;
        }).data['tls.crt']!,
        'base64',
      ),
    );
  const storedValues = async () => {
    const stored = JSON.parse(
      await kubectl(['get', 'configmap', 'sparc-mesh-linkerd-values', '-n', NS, '-o', 'json']),
    ) as {
      metadata: {resourceVersion: string};
      data: Record<string, string>;
    };
    return {resourceVersion: stored.metadata.resourceVersion,
      values: yaml.load(stored.data['values.yaml']!) as Record<string, unknown>};
  };
  const restartedAt = async (namespace: string, name: string) =>
    kubectl(['get', 'deployment', name, '-n', namespace, '-o',
      'jsonpath={.spec.template.metadata.annotations.sparc-mesh\\.io/restartedAt}']);

  beforeAll(async () => {
    await kubectl(['delete', 'namespace', NS, MESHED, '--ignore-not-found', '--wait=true', '--timeout=120s']);
    await kubectl(['create', 'namespace', NS]);
    await kubectl(['create', 'namespace', MESHED]);
    await kubectl(['annotate', 'namespace', MESHED, 'linkerd.io/inject=enabled']);
    await kubectl(['create', 'deployment', 'linkerd-identity', '--image=registry.example/identity:1', '-n', NS]);
    await kubectl(['create', 'deployment', 'pay', '--image=registry.example/pay:1', '-n', MESHED]);
    oldAnchor = await makeCert({name: 'root.linkerd.cluster.local', notAfter: new Date(Date.now() + 30 * DAY)});
    newAnchor = await makeCert({name: 'root-2.linkerd.cluster.local', notAfter: new Date(Date.now() + 3650 * DAY)});
    const oldIssuer = await makeCert({name: 'identity.linkerd.cluster.local', signer: oldAnchor,
      notAfter: new Date(Date.now() + 20 * DAY)});
    const dir = mkdtempSync(join(tmpdir(), 'sparc-mesh-anchor-'));
    files = [join(dir, 'ca-new.crt'), join(dir, 'ca-new.key')];
    writeFileSync(files[0]!, newAnchor.pem);
    writeFileSync(files[1]!, newAnchor.keyPem, {mode: 0o600});
    await storeObjects([
      configMap(NS, 'linkerd-identity-trust-roots', {'ca-bundle.crt': oldAnchor.pem}),
      secret(NS, 'linkerd-identity-issuer', 'kubernetes.io/tls', {'tls.crt': oldIssuer.pem, 'tls.key': oldIssuer.keyPem,
        'ca.crt': oldAnchor.pem}),
      configMap(NS, 'sparc-mesh-linkerd-values', {
        'values.yaml': yaml.dump({controllerLogLevel: 'info', identityTrustAnchorsPEM: oldAnchor.pem,
          identity: {externalCA: true, issuer: {scheme: 'kubernetes.io/tls'}}}),
      }),
    ]);
  });

  it('runs as resumable steps: out of order refused, each step idempotent, ending with only the new anchor and an issuer it signed', async () => {
    const outputs: string[] = [];
    const step = async (args: string[], status: number) => {
      const run = await rotate(args);
      outputs.push(run.stdout + run.stderr);
      expect(run.status, run.stderr).toBe(status);
      return run;
    };
    const plan = await step(['--plan'], 0);
    expect(plan.stdout.match(/^ {2}\d\. /gm)).toHaveLength(6);
    expect(plan.stdout).toContain(
      `1. add the new trust anchor CN=root-2.linkerd.cluster.local beside the current ones in ConfigMap ${NS}/linkerd-identity-trust-roots`,
    );
    expect(await restartedAt(MESHED, 'pay')).toBe('');

    expect((await step(['--step', '3'], 1)).stderr).toContain('the new anchor is not in the trust roots yet');
    await step(['--step', '1'], 0);
    const added = await trustRoots();
    expect(added.data['ca-bundle.crt']).toBe(oldAnchor.pem + newAnchor.pem);
    // The values install linkerd keeps (what an upgrade renders the chart with) follow the trust roots.
    const valuesAdded = await storedValues();
    expect(valuesAdded.values.identityTrustAnchorsPEM).toBe(oldAnchor.pem + newAnchor.pem);
    expect(valuesAdded.values.controllerLogLevel).toBe('info');
    await step(['--step', '1'], 0);
    expect((await trustRoots()).metadata.resourceVersion).toBe(added.metadata.resourceVersion);
    expect((await storedValues()).resourceVersion).toBe(valuesAdded.resourceVersion);

    await step(['--step', '2'], 0);
    expect(await restartedAt(MESHED, 'pay')).not.toBe('');
    expect(await restartedAt(NS, 'linkerd-identity')).not.toBe('');

    expect((await step(['--step', '5'], 1)).stderr).toContain('is not signed by the new anchor yet');
    const third = await step(['--step', '3'], 0);
    expect(third.stdout).toContain('Step 3 of 6 done; continue with --step 4.');
    const issuer = await issuerCert();
    expect(
      issuer.checkIssued(new X509Certificate(newAnchor.pem))
        && issuer.verify(new X509Certificate(newAnchor.pem).publicKey),
    ).toBe(true);
    await step(['--step', '3'], 0);
    expect((await issuerCert()).fingerprint256).toBe(issuer.fingerprint256);

    const rest = await step([], 0);
    expect(rest.stdout).toContain(
      'The trust anchor is rotated: the issuer CN=identity.linkerd.cluster.local is signed by CN=root-2.linkerd.cluster.local',
    );
    expect((await trustRoots()).data['ca-bundle.crt']).toBe(newAnchor.pem);
    expect((await storedValues()).values.identityTrustAnchorsPEM).toBe(newAnchor.pem);
    expect((await issuerCert()).fingerprint256).toBe(issuer.fingerprint256);

    const output = outputs.join('\n');
    for (const line of newAnchor.keyPem.split('\n').filter((text) => text && !text.startsWith('-----'))) {
      expect(output).not.toContain(line);
    }
    expect(output).not.toContain('PRIVATE KEY');
  });
});
