// `sparc-mesh validate` against the real test cluster (test/cluster): objects applied with
// the pinned kubectl, then validated live with the built CLI, as a user would.
import {writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {ClientNodeKubeClient} from '../../src/adapters/kube/client-node.js';
import {testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {cliSession, type CliSession} from '../commands/validate-cli.js';
import {ensureIstioCrds} from './istio-crds.js';

const NAMESPACE = 'validate-live';

async function kubectl(args: string[], input?: string): Promise<string> {
  const result = await execa(testbinPath('kubectl'), args, {input, env: {KUBECONFIG: testKubeconfig()}, reject: false,
    all: true});
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.exitCode}:\n${result.all}`);
  return result.stdout;
}

const apply = (objects: object[]) =>
  kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=sparc-mesh-e2e', '-f', '-'],
    objects.map((object) => JSON.stringify(object)).join('\n'));

function gateway(name: string, selector: string, annotations?: Record<string, string>): object {
  return {apiVersion: 'networking.istio.io/v1', kind: 'Gateway',
    metadata: {name, namespace: NAMESPACE, ...(annotations ? {annotations} : {})},
    spec: {selector: {istio: selector},
      servers: [{port: {number: 80, name: 'http', protocol: 'HTTP'}, hosts: [`${name}.example.com`],
        tls: {httpsRedirect: true}}]}};
}

interface JsonReport {
  findings: {code: string; resource: {kind: string; namespace: string | null; name: string} | null;
    file: string | null}[];
  summary: {objects: number; suppressed: number};
}

let cli: CliSession;

beforeAll(async () => {
  await ensureIstioCrds(testKubeconfig());
  await apply([{apiVersion: 'v1', kind: 'Namespace',
    metadata: {name: NAMESPACE, labels: {'istio-injection': 'enabled'}}}]);
  await apply([
    gateway('orphan', 'no-such-gateway'),
    gateway('accepted', 'no-such-gateway', {'galley.istio.io/analyze-suppress': 'IST0101'}),
    {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'token', namespace: NAMESPACE},
      stringData: {token: 'must-never-be-printed'}},
  ]);
  cli = await cliSession();
}, 600_000);

afterAll(() => cli?.dispose());

const validate = (args: string[]) => cli.run(['validate', '--kubeconfig', testKubeconfig(), ...args]);

describe('validate against the live cluster', () => {
  it('reports findings for the namespace, honours suppression annotations and exits 3', async () => {
    const result = await validate(['-n', NAMESPACE, '-o', 'json']);
    expect(result.exitCode, result.stderr).toBe(3);
    const report = JSON.parse(result.stdout) as JsonReport;
    const ist0101 = report.findings.filter((finding) => finding.code === 'IST0101');
    expect(ist0101.map((finding) => finding.resource?.name)).toEqual(['orphan']);
    expect(ist0101[0]?.file).toBeNull();
    expect(report.summary.suppressed).toBeGreaterThanOrEqual(1);
    // Only the asked namespace is reported on (cluster-scoped findings aside).
    expect(report.findings.every((finding) => !finding.resource?.namespace || finding.resource.namespace === NAMESPACE))
      .toBe(true);
    expect(result.stdout).not.toContain('must-never-be-printed');
  });

  it("adds the live cluster to files with --cluster and reports only the files' objects", async () => {
    const dir = cli.root;
    const file = join(dir, 'vs.yaml');
    // Binds to the live Gateway: without --cluster, IST0101 (gateway not found); with it, found.
    await writeFile(file, [
      'apiVersion: networking.istio.io/v1',
      'kind: VirtualService',
      'metadata:',
      '  name: web',
      `  namespace: ${NAMESPACE}`,
      'spec:',
      '  hosts: [orphan.example.com]',
      '  gateways: [orphan]',
      '  http:',
      '    - route:',
      '        - destination:',
      '            host: web',
    ].join('\n'));
    // Files alone take no cluster flag (--kubeconfig without --cluster is refused, not ignored).
    const [offline, live] = await Promise.all([cli.run(['validate', file, '-o', 'json', '--fail-on', 'none']),
      validate([file, '--cluster', '-o', 'json', '--fail-on', 'none'])]);
    expect(live.exitCode, live.stderr).toBe(0);
    const gatewayNotFound = (report: JsonReport) =>
      report.findings.filter((finding) =>
        finding.code === 'IST0101' && finding.resource?.kind === 'VirtualService'
        && finding.file === file
      ).length;
    const offlineReport = JSON.parse(offline.stdout) as JsonReport;
    const liveReport = JSON.parse(live.stdout) as JsonReport;
    expect(gatewayNotFound(offlineReport)).toBeGreaterThan(0);
    expect(liveReport.findings.every((finding) => finding.file === file || finding.resource === null)).toBe(true);
    expect(liveReport.summary.objects).toBeGreaterThan(offlineReport.summary.objects);
  });

  it('exits 2 for an unknown context and 1 when the API server cannot be reached', async () => {
    const unknown = await validate(['--context', 'no-such-context']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('--context: "no-such-context" is not a context of the kubeconfig');

    const kubeconfig = join(cli.root, 'unreachable.kubeconfig');
    await writeFile(kubeconfig,
      JSON.stringify({apiVersion: 'v1', kind: 'Config', 'current-context': 'dead',
        clusters: [{name: 'dead', cluster: {server: 'https://127.0.0.1:1'}}], users: [{name: 'u', user: {token: 'x'}}],
        contexts: [{name: 'dead', context: {cluster: 'dead', user: 'u'}}]}));
    const unreachable = await cli.run(['validate', '--kubeconfig', kubeconfig, '-A']);
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stderr).toMatch(/Kubernetes API request failed: .*ECONNREFUSED/);
  });
});

describe('the client-node KubeClient', () => {
  it('discovers the mesh groups the server serves and lists objects with apiVersion and kind set', async () => {
    const client = await ClientNodeKubeClient.connect({kubeconfig: testKubeconfig()});
    const types = await client.discover(['', 'networking.istio.io', 'policy.linkerd.io.not-served']);
    const gatewayType = types.find((type) => type.kind === 'Gateway' && type.group === 'networking.istio.io');
    expect(gatewayType).toMatchObject({plural: 'gateways', namespaced: true});
    expect(types.some((type) => type.group === 'policy.linkerd.io.not-served')).toBe(false);
    expect(types.find((type) => type.kind === 'Namespace')).toMatchObject({group: '', version: 'v1',
      namespaced: false});
    const gateways = await client.list(gatewayType!, {namespace: NAMESPACE});
    expect(gateways.map((object) => [object.apiVersion, object.kind, object.metadata.name]).sort()).toEqual([
      [`networking.istio.io/${gatewayType!.version}`, 'Gateway', 'accepted'],
      [`networking.istio.io/${gatewayType!.version}`, 'Gateway', 'orphan'],
    ]);
    const namespaces = await client.list(types.find((type) => type.kind === 'Namespace')!, {});
    expect(namespaces.every((object) => object.apiVersion === 'v1' && object.kind === 'Namespace')).toBe(true);
  });
});
