import {execFileSync} from 'node:child_process';
import {mkdtemp, readdir, readFile, stat, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {bundleDeps, debugBundle} from '../../../src/actions/debug/bundle.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import type {KubeObject} from '../../../src/core/objects.js';
import {testDeps} from '../../helpers/deps.js';
import {ToolError} from '../../../src/errors.js';
import {event, istiod, linkerdControlPlanePod, namespace, pod, service} from './cluster-objects.js';

const VALUES = {
  dbPassword: 'hunter2-db-password',
  apiToken: 'tok-9f8e7d6c5b4a',
  stringToken: 'plain-string-data-token',
  jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaGVja291dCJ9.c2lnbmF0dXJl',
  privateKey: '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIDx\n-----END EC PRIVATE KEY-----',
  caKey: 'ca-key-material-0042',
};

const objects: KubeObject[] = [
  namespace('shop', {'istio-injection': 'enabled'}),
  pod('shop', 'checkout-1', {app: 'checkout'}),
  service('shop', 'checkout'),
  {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'db', namespace: 'shop'},
    data: {password: Buffer.from(VALUES.dbPassword).toString('base64')}, stringData: {extra: VALUES.stringToken}},
  {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'settings', namespace: 'shop'},
    data: {API_TOKEN: VALUES.apiToken, LOG_LEVEL: 'info', copied: `url=postgres://app:${VALUES.dbPassword}@db`,
      identity: VALUES.jwt, 'tls.pem': VALUES.privateKey}},
  event('shop', 'checkout-1', 'Pulled', 'image pulled', '2026-12-06T10:00:00Z'),
];

/** No logs, no checks: what the archive holds of the objects. */
const BUNDLE = {connection: {}, checks: false, istioctl: 'istioctl', linkerd: 'linkerd', checkTimeoutMs: 1000};

describe('debug bundle', () => {
  it('writes an archive holding none of the secrets, listing what it redacted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-bundle-'));
    const file = join(dir, 'bundle.tar.gz');
    const client = new FakeKubeClient({objects});
    const result = await debugBundle({...BUNDLE, namespaces: ['shop'], file},
      bundleDeps(testDeps(client, {now: () => Date.UTC(2026, 11, 6, 12)})));
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const unpacked = join(dir, 'unpacked');
    execFileSync('mkdir', [unpacked]);
    execFileSync('tar', ['-xzf', file, '-C', unpacked]);
    const names = (await readdir(unpacked, {recursive: true})).sort();
    expect(names).toEqual(
      expect.arrayContaining(['manifest.json', 'findings.json', 'events/shop.yaml', 'pods/shop.tsv',
        'resources/shop/Secret.yaml', 'resources/shop/ConfigMap.yaml']),
    );
    const texts = await Promise.all(result.manifest.files.map((name) => readFile(join(unpacked, name), 'utf8')));
    const everything = texts.join('\n');
    for (const value of [...Object.values(VALUES), Buffer.from(VALUES.dbPassword).toString('base64'), 'MHcCAQEEIDx']) {
      expect(everything).not.toContain(value);
    }
    const secret = await readFile(join(unpacked, 'resources/shop/Secret.yaml'), 'utf8');
    expect(secret).toContain('password: <redacted>');
    expect(everything).toContain('LOG_LEVEL: info');
    expect(result.manifest.redacted).toEqual(expect.arrayContaining([
      {resource: 'Secret shop/db', field: 'data.password'},
      {resource: 'Secret shop/db', field: 'stringData.extra'},
      {resource: 'ConfigMap shop/settings', field: 'data.API_TOKEN'},
      {resource: 'ConfigMap shop/settings', field: 'data.copied'},
      {resource: 'ConfigMap shop/settings', field: 'data.identity'},
      {resource: 'ConfigMap shop/settings', field: 'data.tls.pem'},
    ]));
    expect(result.manifest.notCollected).toEqual(['container logs: not asked for', 'mesh CLI checks: not asked for']);
  });

  it('never writes over an existing file (exit 2, naming it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-bundle-'));
    const file = join(dir, 'taken.tar.gz');
    execFileSync('touch', [file]);
    await expect(
      debugBundle({...BUNDLE, namespaces: ['shop'], file}, bundleDeps(testDeps(new FakeKubeClient({objects})))),
    ).rejects.toMatchObject({exitCode: 2, message: `${file}: exists; sparc-mesh does not overwrite a bundle`});
  });
});

/** An executable that prints `output` for any arguments (noting them in FILE.args), or hangs for `delaySeconds`. */
async function stubTool(dir: string, name: string, output: string, delaySeconds = 0): Promise<string> {
  const file = join(dir, name);
  const script = delaySeconds > 0
    ? `exec sleep ${delaySeconds}`
    : `echo "$*" >> ${file}.args\ncat <<'OUT'\n${output}\nOUT`;
  await writeFile(file, `#!/bin/sh\n${script}\n`, {mode: 0o755});
  return file;
}

async function unpack(file: string): Promise<string> {
  const unpacked = join(file, '..', 'unpacked');
  execFileSync('mkdir', [unpacked]);
  execFileSync('tar', ['-xzf', file, '-C', unpacked]);
  return unpacked;
}

describe('debug bundle: log tails and checks', () => {
  const web = pod('shop', 'web-1', {app: 'web'});
  const cart = pod('shop', 'cart-1', {app: 'cart'});
  const istiodPod = istiod('1.30.3');
  const withLogs = [...objects, web, cart, istiodPod];
  const logs = {
    'shop/checkout-1/istio-proxy': `listening\nupstream token ${VALUES.jwt}\nconnect password=${VALUES.dbPassword}\n`,
    'shop/web-1/istio-proxy': 'ready\n',
    'istio-system/istiod-1/discovery': `push ok\nloaded ${VALUES.apiToken}\nsigning with ca-key=${VALUES.caKey}\n`,
    'shop/cart-1/istio-proxy': new ToolError('kube-apiserver', ['GET', 'log'], 400,
      'container "istio-proxy" in pod "cart-1" is waiting to start: PodInitializing'),
  };
  const caSecret: KubeObject = {apiVersion: 'v1', kind: 'Secret',
    metadata: {name: 'cacerts', namespace: 'istio-system'},
    data: {'ca-key.pem': Buffer.from(VALUES.caKey).toString('base64')}};

  it("holds the proxies' and istiod's log tails redacted, and lists the ones it could not read", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-bundle-'));
    const file = join(dir, 'bundle.tar.gz');
    const client = new FakeKubeClient({objects: [...withLogs, caSecret], containerLogs: logs});
    const result = await debugBundle({...BUNDLE, namespaces: ['shop'], file, tailLines: 200},
      bundleDeps(testDeps(client)));
    const unpacked = await unpack(file);
    expect(result.manifest.logs).toEqual([
      {file: 'logs/istio-system/istiod-1/discovery.log', lines: 3},
      {file: 'logs/shop/checkout-1/istio-proxy.log', lines: 3},
      {file: 'logs/shop/web-1/istio-proxy.log', lines: 1},
    ]);
    expect(await readFile(join(unpacked, 'logs/shop/checkout-1/istio-proxy.log'), 'utf8')).toBe(
      'listening\nupstream token <redacted>\nconnect password=<redacted>\n',
    );
    const istiodLog = await readFile(join(unpacked, 'logs/istio-system/istiod-1/discovery.log'), 'utf8');
    expect(istiodLog).toBe('push ok\nloaded <redacted>\nsigning with ca-key=<redacted>\n');
    expect(result.manifest.redacted).toEqual(expect.arrayContaining([
      {resource: 'logs/shop/checkout-1/istio-proxy.log', field: 'line 2'},
      {resource: 'logs/shop/checkout-1/istio-proxy.log', field: 'line 3'},
      {resource: 'logs/istio-system/istiod-1/discovery.log', field: 'line 2'},
    ]));
    expect(result.manifest.notCollected).toEqual([
      expect.stringMatching(
        /^logs\/shop\/cart-1\/istio-proxy\.log: .*400.*container "istio-proxy" in pod "cart-1" is waiting to start/,
      ),
      'mesh CLI checks: not asked for',
    ]);
    expect(await readdir(join(unpacked, 'resources'))).not.toContain('istio-system/Secret.yaml');
  });

  it("leaves out a control plane's logs when its Secrets cannot be read, saying why", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-bundle-'));
    const identity = linkerdControlPlanePod('identity');
    const client = new FakeKubeClient({objects: [...withLogs, identity], containerLogs: logs});
    const list = client.list.bind(client);
    client.list = async (type, scope) => {
      if (type.kind === 'Secret' && scope.namespace === 'linkerd') {
        throw new ToolError('kube-apiserver', ['GET', 'secrets'], 403, 'secrets is forbidden');
      }
      return list(type, scope);
    };
    const result = await debugBundle({...BUNDLE, namespaces: ['shop'], file: join(dir, 'b.tar.gz'), tailLines: 200},
      bundleDeps(testDeps(client)));
    expect(result.manifest.logs.map((log) => log.file)).toContain('logs/istio-system/istiod-1/discovery.log');
    expect(result.manifest.notCollected).toEqual(
      expect.arrayContaining(['identity', 'linkerd-proxy'].map((container) =>
        expect.stringMatching(new RegExp(
          `^logs/linkerd/linkerd-identity-1/${container}\\.log: its namespace's Secrets cannot be read, so their values could not be redacted \\(.*forbidden`,
        ))
      )),
    );
  });

  it('runs istioctl analyze and version within the time limit, redacted; a missing or hung CLI is a manifest line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-bundle-'));
    // Istio's logger writes to standard output too: a control plane istioctl cannot reach puts log lines before the JSON.
    const istioctl = await stubTool(dir, 'istioctl', [
      '2026-12-06T20:40:39.452013Z\terror\tport forward failed: lost connection to pod',
      `{"messages": [{"message": "token=${VALUES.apiToken}"}]}`,
    ].join('\n'));
    const client = new FakeKubeClient({objects: withLogs});
    const run = (binary: string, linkerd: string, timeoutMs: number) =>
      debugBundle({...BUNDLE, namespaces: ['shop'], file: join(dir, `${timeoutMs}-${Math.random()}.tar.gz`),
        checks: true, istioctl: binary, linkerd, checkTimeoutMs: timeoutMs}, bundleDeps(testDeps(client)));

    const answered = await run(istioctl, join(dir, 'no-linkerd'), 10_000);
    expect(answered.manifest.files).toEqual(
      expect.arrayContaining(['checks/istioctl-analyze.json', 'checks/istioctl-version.json']),
    );
    expect(answered.manifest.redacted).toContainEqual({resource: 'checks/istioctl-analyze.json', field: 'line 1'});
    const unpacked = await unpack(answered.file);
    for (const check of ['istioctl-analyze.json', 'istioctl-version.json']) {
      expect(JSON.parse(await readFile(join(unpacked, 'checks', check), 'utf8'))).toEqual(
        {messages: [{message: 'token=<redacted>'}]},
      );
    }
    expect((await readFile(`${istioctl}.args`, 'utf8')).split('\n').sort()).toEqual(['',
      'analyze --all-namespaces -o json', 'version -o json']);
    expect(answered.manifest.notCollected).toEqual(['container logs: not asked for']);

    const missing = await run(join(dir, 'nowhere', 'istioctl'), 'linkerd', 10_000);
    expect(missing.manifest.notCollected).toContainEqual(expect.stringMatching(
      /^checks\/istioctl-analyze\.json: istioctl is not installed: ".*nowhere\/istioctl" was not found; install istioctl/,
    ));

    const hung = await stubTool(dir, 'hung-istioctl', '', 30);
    const started = Date.now();
    const timedOut = await run(hung, 'linkerd', 1000);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(timedOut.manifest.notCollected).toContainEqual(
      'checks/istioctl-version.json: istioctl version did not finish within 1s',
    );
  });

  it("runs linkerd check when Linkerd's control plane runs, with the run's context", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-bundle-'));
    const linkerd = await stubTool(dir, 'linkerd', '{"success": true, "categories": []}');
    const client = new FakeKubeClient({objects: [...objects, linkerdControlPlanePod('destination')]});
    const result = await debugBundle({...BUNDLE, connection: {context: 'prod'}, namespaces: ['shop'],
      file: join(dir, 'b.tar.gz'), checks: true, istioctl: join(dir, 'no-istioctl'), linkerd, checkTimeoutMs: 20_000},
      bundleDeps(testDeps(client)));
    expect(result.manifest.files).toContain('checks/linkerd-check.json');
    expect(result.manifest.files).not.toContain('checks/istioctl-analyze.json');
    expect(await readFile(`${linkerd}.args`, 'utf8')).toBe('check --output=json --wait=10s --context prod\n');
    const unpacked = await unpack(join(dir, 'b.tar.gz'));
    expect(await readFile(join(unpacked, 'checks/linkerd-check.json'), 'utf8')).toBe(
      '{"success": true, "categories": []}',
    );
  });
});
