// `sparc-mesh debug` against the real test cluster, kwok as the kubelet: pods that show each
// problem diagnosed by the built CLI, connectivity verdicts with the deciding rule, the live
// sidecar's config dump read through pods/portforward (kwok forwards the admin port to a local
// server holding one of Istio's own dumps), and a bundle that holds none of the secrets.
// Connectivity is asked within a namespace and across two (callers in one, the Service in
// another, admitted there by namespace and by service account).
import {execFileSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {mkdir, readFile, readdir} from 'node:fs/promises';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {summariseConfigDump} from '../../src/core/debug/envoy-config.js';
import {testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {cliSession, type CliSession} from '../commands/validate-cli.js';
import {forwardPodPorts} from '../helpers/kwok.js';
import {serveConfigDump} from '../unit/debug/admin-server.js';
import {allowFrom, namespace, pod, service, zeroTrustShop} from '../unit/debug/cluster-objects.js';
import {ensureIstioCrds} from './istio-crds.js';
import {pinnedModuleDir} from './pinned-module.js';

const PLAIN = 'debug-plain';
const SHOP = 'debug-shop';
const FRONT = 'debug-front';
const PAY = 'debug-pay';
const SECRET_VALUES = ['e2e-db-password-77', 'e2e-configmap-token-88'];

async function kubectl(args: string[], input?: string): Promise<string> {
  return (await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args], {input})).stdout;
}

const serviceAccount = (ns: string, name: string) => ({apiVersion: 'v1', kind: 'ServiceAccount',
  metadata: {name, namespace: ns}});

/**
 * Callers web and bot in FRONT, payments in PAY: PAY's NetworkPolicy admits FRONT by the
 * namespace's name label (which the API server sets), its ALLOW policy only web's service account.
 */
function acrossNamespaces(): object[] {
  return [namespace(FRONT, {'istio-injection': 'enabled'}), namespace(PAY, {'istio-injection': 'enabled'}),
    serviceAccount(FRONT, 'web'), serviceAccount(FRONT, 'bot'), serviceAccount(PAY, 'payments'),
    pod(FRONT, 'web-1', {app: 'web'}), pod(FRONT, 'bot-1', {app: 'bot'}), pod(PAY, 'payments-1', {app: 'payments'}),
    service(PAY, 'payments'), allowFrom(PAY, 'payments', [`cluster.local/ns/${FRONT}/sa/web`]), {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: {name: 'payments', namespace: PAY},
    spec: {podSelector: {matchLabels: {app: 'payments'}}, policyTypes: ['Ingress'], ingress: [{
      from: [{namespaceSelector: {matchLabels: {'kubernetes.io/metadata.name': FRONT}}}],
      ports: [{port: 8080}],
    }]},
  }];
}

/** Live pods get their status from kwok: the fixtures' status is dropped. */
const withoutStatus = (object: object) => ({...object, status: undefined});

let cli: CliSession;
let admin: Awaited<ReturnType<typeof serveConfigDump>>;
let dumpFile: string;

const debug = async (args: string[]) => {
  const result = await cli.run(['debug', ...args, '--kubeconfig', testKubeconfig()]);
  if (result.exitCode !== 0) throw new Error(`debug ${args.join(' ')} exited ${result.exitCode}: ${result.stderr}`);
  return result.stdout;
};

beforeAll(async () => {
  await ensureIstioCrds(testKubeconfig());
  for (const name of [PLAIN, SHOP, FRONT, PAY]) {
    await kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  }
  const shop = zeroTrustShop(SHOP).filter((object) => object.metadata.name !== 'istio-system')
    .map((object) => (object.metadata.name === 'checkout-allow'
      ? allowFrom(SHOP, 'checkout', [`cluster.local/ns/${SHOP}/sa/frontend`])
      : object)
    );
  await kubectl(['apply', '--server-side', '-f', '-'], JSON.stringify({apiVersion: 'v1', kind: 'List', items: [
    namespace('istio-system'),
    namespace(PLAIN),
    namespace(SHOP, {'istio-injection': 'enabled'}),
    serviceAccount(PLAIN, 'web'),
    serviceAccount(SHOP, 'checkout'),
    serviceAccount(SHOP, 'cart'),
    pod(PLAIN, 'web-1', {app: 'web', proxy: 'none'}),
    ...shop,
    {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'db', namespace: SHOP},
      stringData: {password: SECRET_VALUES[0]}},
    {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'settings', namespace: SHOP},
      data: {API_TOKEN: SECRET_VALUES[1], LOG_LEVEL: 'info'}},
    ...acrossNamespaces(),
  ].map(withoutStatus)}));
  await kubectl(['wait', '-n', SHOP, '--for=condition=Ready', 'pod/checkout-1', 'pod/cart-1', '--timeout=60s']);
  await kubectl(['wait', '-n', FRONT, '--for=condition=Ready', 'pod/web-1', 'pod/bot-1', '--timeout=60s']);
  dumpFile = join(pinnedModuleDir('istio'), 'istioctl/pkg/describe/testdata/describe/http_config.json');
  admin = await serveConfigDump(JSON.parse(readFileSync(dumpFile, 'utf8')));
  await forwardPodPorts(testKubeconfig(), {namespace: SHOP, name: 'checkout-1'}, [{port: 15000,
    to: {port: admin.port}}]);
  cli = await cliSession();
}, 600_000);

afterAll(async () => {
  await cli?.dispose();
  await admin?.close();
  for (const name of [PLAIN, SHOP, FRONT, PAY]) {
    await kubectl(['delete', 'namespace', name, '--ignore-not-found', '--wait=false']);
  }
});

interface PodDocument {
  status: {proxy: {mesh: string}};
  proxyConfig?: {clusters: {name: string}[]};
  findings: {findings: {code: string; message: string}[]};
}

describe('debug against the live cluster', () => {
  it('diagnoses a pod without a proxy in a namespace not labelled for injection', async () => {
    const report = JSON.parse(await debug(['pod', 'web-1', '-n', PLAIN, '-o', 'json'])) as PodDocument;
    expect(report.status.proxy.mesh).toBe('none');
    expect(report.findings.findings.find((finding) => finding.code === 'SM5001')?.message)
      .toContain(`namespace ${PLAIN} is not labelled for injection`);
  });

  it('names the AuthorizationPolicy that denies a caller the NetworkPolicy admits, and reads the sidecar live', async () => {
    const report = JSON.parse(await debug(['pod', 'svc/checkout', '-n', SHOP, '-o', 'json'])) as PodDocument;
    expect(report.findings.findings.filter((finding) => finding.code === 'SM5010').map((finding) => finding.message))
      .toEqual([
        `${SHOP}/cart → ${SHOP}/checkout:80 is admitted (network-policy: NetworkPolicy ${SHOP}/cart egress[0] admits it; network-policy: NetworkPolicy ${SHOP}/checkout ingress[0] admits it) but denied (istio-authz: no rule of the ALLOW policies (${SHOP}/checkout-allow, ${SHOP}/deny-all) matches the caller)`,
      ]);
    const expected = summariseConfigDump(JSON.parse(readFileSync(dumpFile, 'utf8')));
    expect(report.proxyConfig?.clusters.map((cluster) => cluster.name)).toEqual(
      expected.clusters.map((cluster) => cluster.name),
    );
  });

  it('answers connectivity layer by layer, naming the deciding rule', async () => {
    const answer = JSON.parse(
      await debug(['connectivity', '--from', 'cart-1', '-n', SHOP, '--to', 'svc/checkout:80', '-o', 'json']),
    ) as {ports: {verdict: string; layers: {layer: string; verdict: string; decidedBy: string[]}[]}[]};
    const layers = Object.fromEntries(answer.ports[0]?.layers.map((layer) => [layer.layer, layer]) ?? []);
    expect(answer.ports[0]?.verdict).toBe('deny');
    expect(layers['network-policy']?.verdict).toBe('allow');
    expect(layers['istio-authz']?.decidedBy).toEqual(
      [`no rule of the ALLOW policies (${SHOP}/checkout-allow, ${SHOP}/deny-all) matches the caller`],
    );
  });

  it('answers connectivity to a Service in another namespace: one caller allowed, one denied, each by its rule', async () => {
    const ask = async (from: string) => {
      const answer = JSON.parse(
        await debug(['connectivity', '--from', from, '-n', FRONT, '--to', `svc/payments.${PAY}:80`, '-o', 'json']),
      ) as {ports: {verdict: string; layers: {layer: string; verdict: string; decidedBy: string[]}[]}[]};
      expect(answer.ports).toHaveLength(1);
      const layers = answer.ports[0]?.layers ?? [];
      return {verdict: answer.ports[0]?.verdict, layers: Object.fromEntries(
        layers.filter(({layer}) => layer === 'network-policy' || layer === 'istio-authz')
          .map(({layer, verdict, decidedBy}) => [layer, `${verdict}: ${decidedBy.join('; ')}`]),
      )};
    };
    expect(await ask('web-1')).toEqual({verdict: 'allow', layers: {
      'network-policy':
        `allow: no NetworkPolicy isolates the egress of ${FRONT}/web-1; NetworkPolicy ${PAY}/payments ingress[0] admits it`,
      'istio-authz': `allow: ALLOW policy ${PAY}/payments-allow matches`,
    }});
    expect(await ask('bot-1')).toEqual({verdict: 'deny', layers: {
      'network-policy':
        `allow: no NetworkPolicy isolates the egress of ${FRONT}/bot-1; NetworkPolicy ${PAY}/payments ingress[0] admits it`,
      'istio-authz': `deny: no rule of the ALLOW policies (${PAY}/payments-allow) matches the caller`,
    }});
  });

  it('summarises the live proxy config as the file it came from', async () => {
    const live = JSON.parse(await debug(['proxy-config', 'all', 'checkout-1', '-n', SHOP, '-o', 'json'])) as unknown;
    expect(live).toEqual(JSON.parse(JSON.stringify(summariseConfigDump(JSON.parse(readFileSync(dumpFile, 'utf8'))))));
  });

  it('writes a bundle that holds none of the secrets', async () => {
    const file = join(cli.root, 'bundle.tar.gz');
    await debug(['bundle', '-n', SHOP, '-o', file]);
    const unpacked = join(cli.root, 'unpacked');
    await mkdir(unpacked);
    execFileSync('tar', ['-xzf', file, '-C', unpacked]);
    const names = (await readdir(unpacked, {recursive: true, withFileTypes: true})).filter((entry) => entry.isFile());
    const text = (await Promise.all(names.map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')))).join(
      '\n',
    );
    expect(text).toContain('name: checkout-1');
    for (const value of [...SECRET_VALUES, Buffer.from(SECRET_VALUES[0]!).toString('base64')]) {
      expect(text).not.toContain(value);
    }
  });
});
