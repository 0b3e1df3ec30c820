// `sparc-mesh debug bundle` against the test cluster, kwok as the kubelet serving container
// logs from files: a sidecar's and istiod's log tails, holding a token, a password and a
// Secret's value, come out of the archive redacted; a container whose log cannot be read is
// listed in the manifest; the real istioctl's analysis is in checks/.
import {execFileSync} from 'node:child_process';
import {mkdir, readFile, readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {cliSession, type CliSession} from '../commands/validate-cli.js';
import {servePodLogs, whenKwokServes, writeContainerLog} from '../helpers/kwok.js';
import {istiod, namespace, pod} from '../unit/debug/cluster-objects.js';
import {ensureIstioCrds} from './istio-crds.js';

const SHOP = 'bundle-shop';
const ISTIOD = 'istiod-bundle-1';
const SECRETS = {
  dbPassword: 'e2e-bundle-db-password-31',
  apiToken: 'e2e-bundle-configmap-token-32',
  logToken: 'e2e-bundle-log-token-33',
  logPassword: 'e2e-bundle-log-password-34',
  jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJidW5kbGUtZTJlIn0.c2lnbmVkLWJ1bmRsZQ',
};

async function kubectl(args: string[], input?: string): Promise<string> {
  return (await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args], {input})).stdout;
}

/** Live pods get their status from kwok: the fixtures' status is dropped. */
const withoutStatus = (object: object) => ({...object, status: undefined});

const istiodPod = () => {
  const object = istiod('1.30.3');
  return {...object, metadata: {...object.metadata, name: ISTIOD},
    spec: {...(object.spec as object), nodeName: 'kwok-node-0'}};
};

let cli: CliSession;
let unpacked: string;
let manifest: {files: string[]; logs: {file: string; lines: number}[]; redacted: {resource: string; field: string}[];
  notCollected: string[]};

async function archiveText(): Promise<string> {
  const files = (await readdir(unpacked, {recursive: true, withFileTypes: true})).filter((entry) => entry.isFile());
  return (await Promise.all(files.map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')))).join('\n');
}

beforeAll(async () => {
  await ensureIstioCrds(testKubeconfig());
  await kubectl(['delete', 'namespace', SHOP, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  await kubectl(['delete', 'pod', '-n', 'istio-system', ISTIOD, '--ignore-not-found', '--wait=true']);
  await kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify({apiVersion: 'v1', kind: 'List', items: [
    namespace('istio-system'),
    namespace(SHOP),
    ...['checkout', 'cart'].map((name) => ({apiVersion: 'v1', kind: 'ServiceAccount',
      metadata: {name, namespace: SHOP}})
    ),
    pod(SHOP, 'checkout-1', {app: 'checkout'}),
    pod(SHOP, 'cart-1', {app: 'cart'}),
    istiodPod(),
    {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'db', namespace: SHOP},
      stringData: {password: SECRETS.dbPassword}},
    {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'settings', namespace: SHOP},
      data: {API_TOKEN: SECRETS.apiToken, LOG_LEVEL: 'info'}},
  ].map(withoutStatus)}));
  await kubectl(['wait', '-n', SHOP, '--for=condition=Ready', 'pod/checkout-1', 'pod/cart-1', '--timeout=60s']);
  await kubectl(['wait', '-n', 'istio-system', '--for=condition=Ready', `pod/${ISTIOD}`, '--timeout=60s']);
  cli = await cliSession();
  const proxyLog = join(cli.root, 'checkout-proxy.log');
  await writeContainerLog(proxyLog, [
    'Envoy proxy is ready',
    `upstream connect error; retrying with token=${SECRETS.logToken}`,
    `{"level":"warn","msg":"db login","password":"${SECRETS.logPassword}"}`,
    `reconnecting to the database with ${SECRETS.dbPassword}`,
    'GET /cart 200',
  ]);
  const istiodLog = join(cli.root, 'istiod.log');
  await writeContainerLog(istiodLog, ['ads push complete', `validated token ${SECRETS.jwt}`,
    `config: API_TOKEN from settings is ${SECRETS.apiToken}`]);
  await servePodLogs(testKubeconfig(), {namespace: SHOP, name: 'checkout-1'}, [{container: 'istio-proxy',
    file: proxyLog}]);
  await servePodLogs(testKubeconfig(), {namespace: 'istio-system', name: ISTIOD}, [{container: 'discovery',
    file: istiodLog}]);
  await whenKwokServes(() => kubectl(['logs', '-n', SHOP, 'checkout-1', '-c', 'istio-proxy', '--tail=1']));
  await whenKwokServes(() => kubectl(['logs', '-n', 'istio-system', ISTIOD, '-c', 'discovery', '--tail=1']));

  const file = join(cli.root, 'bundle.tar.gz');
  const result = await cli.run(['debug', 'bundle', '-n', SHOP, '-o', file, '--istioctl', testbinPath('istioctl'),
    '--kubeconfig', testKubeconfig()]);
  if (result.exitCode !== 0) throw new Error(`debug bundle exited ${result.exitCode}: ${result.stderr}`);
  unpacked = join(cli.root, 'unpacked');
  await mkdir(unpacked);
  execFileSync('tar', ['-xzf', file, '-C', unpacked]);
  manifest = JSON.parse(await readFile(join(unpacked, 'manifest.json'), 'utf8')) as typeof manifest;
}, 600_000);

afterAll(async () => {
  await cli?.dispose();
  await kubectl(['delete', 'namespace', SHOP, '--ignore-not-found', '--wait=false']);
  await kubectl(['delete', 'pod', '-n', 'istio-system', ISTIOD, '--ignore-not-found', '--wait=false']);
});

describe('debug bundle against the live cluster', () => {
  it("holds the sidecar's and istiod's log tails, redacted line by line", async () => {
    expect(manifest.logs).toEqual(expect.arrayContaining([
      {file: `logs/${SHOP}/checkout-1/istio-proxy.log`, lines: 5},
      {file: `logs/istio-system/${ISTIOD}/discovery.log`, lines: 3},
    ]));
    expect(await readFile(join(unpacked, `logs/${SHOP}/checkout-1/istio-proxy.log`), 'utf8')).toBe([
      'Envoy proxy is ready',
      'upstream connect error; retrying with token=<redacted>',
      '{"level":"warn","msg":"db login","password":"<redacted>"}',
      'reconnecting to the database with <redacted>',
      'GET /cart 200',
      '',
    ].join('\n'));
    expect(manifest.redacted).toEqual(expect.arrayContaining([2, 3, 4].map((line) => ({
      resource: `logs/${SHOP}/checkout-1/istio-proxy.log`,
      field: `line ${line}`,
    }))));
    expect(manifest.redacted).toEqual(expect.arrayContaining([2, 3].map((line) => ({
      resource: `logs/istio-system/${ISTIOD}/discovery.log`,
      field: `line ${line}`,
    }))));
  });

  it('lists a container whose log kwok does not serve, with the reason', () => {
    expect(manifest.notCollected).toContainEqual(expect.stringMatching(new RegExp(
      `^logs/${SHOP}/cart-1/istio-proxy\\.log: .*HTTP 400: no logs found for container "istio-proxy"`,
    )));
    expect(manifest.files).not.toContain(`logs/${SHOP}/cart-1/istio-proxy.log`);
  });

  it("holds the real istioctl's analysis of the cluster and its version", async () => {
    const analysis = JSON.parse(await readFile(join(unpacked, 'checks/istioctl-analyze.json'), 'utf8')) as {
      code: string;
      origin: string;
    }[];
    // The namespace is not labelled for injection: istioctl says so (IST0102) of it.
    expect(analysis).toContainEqual(expect.objectContaining({code: 'IST0102', origin: `Namespace ${SHOP}`}));
    const version = JSON.parse(await readFile(join(unpacked, 'checks/istioctl-version.json'), 'utf8')) as {
      clientVersion?: {version?: string};
    };
    const client = JSON.parse(
      (await execa(testbinPath('istioctl'), ['version', '--remote=false', '-o', 'json'])).stdout,
    ) as typeof version;
    expect(version.clientVersion).toEqual(client.clientVersion);
  });

  it('holds none of the secrets anywhere', async () => {
    const text = await archiveText();
    expect(text).toContain('Envoy proxy is ready');
    for (const value of [...Object.values(SECRETS), Buffer.from(SECRETS.dbPassword).toString('base64')]) {
      expect(text).not.toContain(value);
    }
  });
});
