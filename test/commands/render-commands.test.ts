// The offline paths of onboard and install, run in-process (test/helpers/run-command.ts);
// the built CLI as a subprocess only where the process itself is the subject: its exit
// status, its start-up (--version, --help, completion) and a real failed connection.
import {existsSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
import {cli} from '../helpers/cli.js';
import {runCommand} from '../helpers/run-command.js';

const EXAMPLE = 'examples/sparc-mesh.yaml';

function kinds(stream: string): string[] {
  return yaml.loadAll(stream).filter(Boolean).map((doc) => (doc as {kind: string}).kind);
}

describe('onboard --dry-run', () => {
  it('prints every object onboarding would apply, as a YAML stream', async () => {
    const result = await runCommand(['onboard', '-s', 'new-service', '-n', 'sparc', '-m', 'istio', '--enable-canary',
      '--dry-run']);
    expect(result.stderr).toContain("Flagger's Canary has no TCP connection pool");
    expect(result.status).toBe(0);
    expect(kinds(result.stdout)).toEqual(
      expect.arrayContaining(['Namespace', 'ServiceAccount', 'PeerAuthentication', 'AuthorizationPolicy',
        'NetworkPolicy', 'Canary']),
    );
  });

  it('prints a v1 List with -o json', async () => {
    const result = await runCommand(['onboard', '-s', 'checkout', '--dry-run', '-o', 'json', '--allow-from', 'web']);
    expect(result.status).toBe(0);
    const list = JSON.parse(result.stdout);
    expect(list).toMatchObject({apiVersion: 'v1', kind: 'List'});
    expect(list.items.map((item: {kind: string}) => item.kind)).toContain('VirtualService');
  });

  it('uses the service entry of the config and lets flags override it', async () => {
    const result = await runCommand(['onboard', '-s', 'database', '--config', EXAMPLE, '--dry-run', '--port',
      'tcp-postgres:6432:5432']);
    expect(result.status).toBe(0);
    const vs = yaml.loadAll(result.stdout).find((doc) => (doc as {kind?: string})?.kind === 'VirtualService') as {
      spec: {tcp: unknown[]};
    };
    expect(vs.spec.tcp).toEqual([{match: [{port: 6432}],
      route: [{destination: {host: 'database.sparc.svc.cluster.local', port: {number: 6432}}}]}]);
  });

  it('wraps the objects in the --json envelope', async () => {
    const result = await runCommand(['onboard', '-s', 'checkout', '--dry-run', '--json']);
    expect(result.status).toBe(0);
    const envelope = JSON.parse(result.stdout);
    expect(envelope.status).toBe(0);
    expect(envelope.result.service.name).toBe('checkout');
    expect(envelope.result.objects.length).toBeGreaterThan(5);
  });

  it('writes one file per object with stable names under --output-dir', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'sparc-mesh-')), 'out');
    const first = await runCommand(['onboard', '-s', 'checkout', '--output-dir', dir]);
    expect(first.status).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files[0]).toBe('001-namespace-sparc.yaml');
    expect(files).toContain('008-serviceaccount-sparc.checkout.yaml');
    expect((await runCommand(['onboard', '-s', 'checkout', '--output-dir', dir])).status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(files);
  });

  it('without --dry-run goes to the cluster, and fails with exit 1 naming the context and kubeconfig it could not reach', () => {
    const kubeconfig = join(mkdtempSync(join(tmpdir(), 'sparc-mesh-')), 'kubeconfig');
    // Port 1 on loopback: nothing listens there.
    writeFileSync(kubeconfig,
      JSON.stringify({apiVersion: 'v1', kind: 'Config', 'current-context': 'nowhere',
        clusters: [{name: 'nowhere', cluster: {server: 'https://127.0.0.1:1'}}],
        users: [{name: 'nobody', user: {token: 'x'}}],
        contexts: [{name: 'nowhere', context: {cluster: 'nowhere', user: 'nobody'}}]}));
    const result = cli(['onboard', '-s', 'checkout', '--kubeconfig', kubeconfig]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `cannot reach https://127.0.0.1:1 (context "nowhere" of kubeconfig ${kubeconfig}): connect ECONNREFUSED`,
    );
  });
});

describe('bad input: exit 2, the flag and the rule named, nothing written', () => {
  const cases: [string, string[], RegExp][] = [
    ['an upper-case name', ['-s', 'NewService'], /--service: "NewService" must be a DNS-1123 label/],
    ['a name with shell metacharacters', ['-s', 'svc;rm -rf /'], /--service: "svc;rm -rf \/" must be a DNS-1123 label/],
    ['a command substitution', ['-s', '$(reboot)'], /--service: "\$\(reboot\)" must be a DNS-1123 label/],
    ['an unknown profile', ['-s', 'svc', '--profile', 'gold'],
      /Expected --profile=gold to be one of: default, api-gateway, video, analytics, database/],
    ['port 0', ['-s', 'svc', '--port', '0'], /--port: 0 must be between 1 and 65535/],
    ['port 70000', ['-s', 'svc', '--port', '70000'], /--port: 70000 must be between 1 and 65535/],
    ['a non-numeric port', ['-s', 'svc', '--port', 'http:eighty'],
      /--port: "http:eighty" has "eighty" where a port number in decimal belongs/],
    ['a bad namespace', ['-s', 'svc', '-n', 'Sparc_Prod'], /--namespace: "Sparc_Prod" must be a DNS-1123 label/],
    ['an unknown mesh', ['-s', 'svc', '-m', 'consul'], /Expected --mesh=consul to be one of: istio, linkerd/],
    ['a bad caller', ['-s', 'svc', '--allow-from', 'a/b/c'],
      /--allow-from: "a\/b\/c" must be SERVICE_ACCOUNT or NAMESPACE\/SERVICE_ACCOUNT/],
    ['an unknown output format', ['-s', 'svc', '-o', 'toml'], /Expected --output=toml to be one of: yaml, json/],
  ];

  for (const [name, args, message] of cases) {
    it(name, async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'sparc-mesh-')), 'out');
      const result = await runCommand(['onboard', ...args, '--output-dir', dir]);
      expect(result.stderr).toMatch(message);
      expect(result.status).toBe(2);
      expect(existsSync(dir)).toBe(false);
      expect(result.stdout).toBe('');
    });
  }

  it('a missing required flag is an error naming it when nobody can answer a prompt', async () => {
    const result = await runCommand(['onboard', '--dry-run']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Missing required flag --service (-s)');
  });

  it('a bad value in the config names the file and line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparc-mesh-'));
    writeFileSync(join(dir, 'sparc-mesh.yaml'),
      'mesh: istio\nservices:\n  - name: api\n    ports:\n      - port: 70000\n');
    const result = await runCommand(['onboard', '-s', 'api', '--dry-run'], {cwd: dir});
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `${join(dir, 'sparc-mesh.yaml')}:5: services[0].ports[0].port: 70000 must be between 1 and 65535`,
    );
  });

  it('reports the error in the JSON envelope with --json', () => {
    const result = cli(['onboard', '-s', 'Bad', '--dry-run', '--json']);
    expect(result.status).toBe(2);
    expect(JSON.parse(result.stdout)).toMatchObject({status: 2, code: 'InvalidInput', name: 'UsageError'});
  });
});

describe('install --dry-run', () => {
  it('prints the IstioOperator and the baseline', async () => {
    const result = await runCommand(['install', 'istio', '--dry-run', '--config', EXAMPLE]);
    expect(result.status).toBe(0);
    const documents = yaml.loadAll(result.stdout).filter(Boolean) as {kind: string;
      metadata: {name: string; namespace?: string}; spec?: {mtls?: {mode: string}}}[];
    expect(documents[0]?.kind).toBe('IstioOperator');
    const meshWide = documents.find((doc) =>
      doc.kind === 'PeerAuthentication' && doc.metadata.namespace === 'istio-system'
    );
    expect(meshWide?.spec?.mtls?.mode).toBe('STRICT');
    expect(kinds(result.stdout)).toEqual(
      expect.arrayContaining(['Gateway', 'Telemetry', 'ServiceEntry', 'AuthorizationPolicy', 'NetworkPolicy']),
    );
  });

  it('prints the Linkerd values and baseline', async () => {
    const result = await runCommand(['install', 'linkerd', '--dry-run', '--ha', '-o', 'json']);
    expect(result.status).toBe(0);
    const list = JSON.parse(result.stdout);
    const values = yaml.load(list.items[0].data['values.yaml']) as {controllerReplicas: number};
    expect(values.controllerReplicas).toBe(3);
  });

  it('refuses a revision that is not a DNS label', async () => {
    const result = await runCommand(['install', 'istio', '--dry-run', '--revision', '1.30']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--revision: "1.30" must be a DNS-1123 label');
  });

  it('reads templates from --templates and fails on a missing one, naming it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparc-mesh-tpl-'));
    const result = await runCommand(['install', 'istio', '--dry-run', '--templates', dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`--templates: ${join(dir, 'istio/control-plane.yaml')} is missing`);
  });
});

describe('the CLI itself', () => {
  it('prints its version', () => {
    const result = cli(['--version']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^sparc-mesh\/\d+\.\d+\.\d+ /);
  });

  it('has help with examples for onboard', () => {
    const result = cli(['onboard', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('EXAMPLES');
    expect(result.stdout).toContain('$ sparc-mesh onboard -s new-service -n sparc -m istio --enable-canary');
  });

  it('offers shell completion', () => {
    const result = cli(['autocomplete', 'script', 'bash'], {env: {HOME: mkdtempSync(join(tmpdir(), 'home-'))}});
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('SPARC_MESH_AC_BASH_SETUP_PATH');
  });
});
