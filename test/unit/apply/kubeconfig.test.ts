import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {resolveConnection} from '../../../src/adapters/kube/kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'sparc-kubeconfig-'));
const write = (name: string, content: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

const config = (user: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Config',
  'current-context': 'dev',
  clusters: [{name: 'c', cluster: {server: 'https://10.0.0.1:6443', 'certificate-authority': 'ca.crt'}}],
  users: [{name: 'u', user}],
  contexts: [{name: 'dev', context: {cluster: 'c', user: 'u', namespace: 'shop'}}, {name: 'other',
    context: {cluster: 'c', user: 'u'}}],
  ...extra,
});

describe('resolveConnection', () => {
  const saved = process.env.KUBECONFIG;
  afterEach(() => {
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  });

  it('reads certificates (data or files relative to the kubeconfig) and the context namespace', () => {
    write('ca.crt', 'CA');
    const file = write('certs.yaml',
      config({'client-certificate-data': Buffer.from('CERT').toString('base64'), 'client-key': 'key.pem'}));
    write('key.pem', 'KEY');
    const resolved = resolveConnection({kubeconfig: file})!;
    expect(resolved).toMatchObject({server: 'https://10.0.0.1:6443', contextName: 'dev', contextNamespace: 'shop',
      headers: {}});
    expect([resolved.tls.ca?.toString(), resolved.tls.cert?.toString(), resolved.tls.key?.toString()]).toEqual(['CA',
      'CERT', 'KEY']);
    expect(resolved.tls.rejectUnauthorized).toBe(true);
  });

  it('turns a token file into a bearer header, and --context picks another context', () => {
    write('token', 'secret-token\n');
    const resolved = resolveConnection({kubeconfig: write('token.yaml', config({tokenFile: 'token'})),
      context: 'other'})!;
    expect(resolved.headers).toEqual({authorization: 'Bearer secret-token'});
    expect(resolved.contextNamespace).toBe('default');
  });

  it('leaves exec plugins and auth providers to client-node', () => {
    expect(resolveConnection({kubeconfig: write('exec.yaml', config({exec: {command: 'aws'}}))})).toBeUndefined();
    expect(resolveConnection({kubeconfig: write('oidc.yaml', config({'auth-provider': {name: 'oidc'}}))}))
      .toBeUndefined();
  });

  it('merges $KUBECONFIG files, the first to name something winning, and skips missing ones', () => {
    const first = write('first.yaml', {'current-context': 'dev',
      contexts: [{name: 'dev', context: {cluster: 'c', user: 'u', namespace: 'first'}}]});
    const second = write('second.yaml', config({token: 't'}, {'current-context': 'other'}));
    process.env.KUBECONFIG = [join(dir, 'missing.yaml'), first, second].join(':');
    expect(resolveConnection({})).toMatchObject({contextName: 'dev', contextNamespace: 'first',
      headers: {authorization: 'Bearer t'}});
  });

  it('names the flag when the context is unknown', () => {
    expect(() => resolveConnection({kubeconfig: write('plain.yaml', config({token: 't'})), context: 'prod'})).toThrow(
      /--context: "prod" is not a context of the kubeconfig \(known: dev, other\)/,
    );
  });
});
