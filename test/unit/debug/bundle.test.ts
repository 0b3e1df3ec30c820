import {execFileSync} from 'node:child_process';
import {mkdtemp, readdir, readFile, stat} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {bundleDeps, debugBundle} from '../../../src/actions/debug/bundle.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import type {KubeObject} from '../../../src/core/objects.js';
import {testDeps} from '../../helpers/deps.js';
import {event, namespace, pod, service} from './cluster-objects.js';

const VALUES = {
  dbPassword: 'hunter2-db-password',
  apiToken: 'tok-9f8e7d6c5b4a',
  stringToken: 'plain-string-data-token',
  jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaGVja291dCJ9.c2lnbmF0dXJl',
  privateKey: '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIDx\n-----END EC PRIVATE KEY-----',
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

describe('debug bundle', () => {
  it('writes an archive holding none of the secrets, listing what it redacted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-bundle-'));
    const file = join(dir, 'bundle.tar.gz');
    const client = new FakeKubeClient({objects});
    const result = await debugBundle({connection: {}, namespaces: ['shop'], file},
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
    expect(result.manifest.notCollected[0]).toMatch(/^proxy and control-plane log tails/);
  });

  it('never writes over an existing file (exit 2, naming it)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-bundle-'));
    const file = join(dir, 'taken.tar.gz');
    execFileSync('touch', [file]);
    await expect(
      debugBundle({connection: {}, namespaces: ['shop'], file}, bundleDeps(testDeps(new FakeKubeClient({objects})))),
    ).rejects.toMatchObject({exitCode: 2, message: `${file}: exists; sparc-mesh does not overwrite a bundle`});
  });
});
