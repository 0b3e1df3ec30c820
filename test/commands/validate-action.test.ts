// The validate action with a fake cluster: what it lists, what it keeps of live objects,
// what it reports, and how failures of the cluster and of the user's input surface.
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {GRID_ROOT} from '../unit/analyze/istio/grid.js';
import {validateDeps, type ValidateDeps} from '../../src/actions/validate/deps.js';
import {createKubeClient} from '../../src/adapters/kube/client.js';

const defaultValidateDeps = validateDeps({connect: createKubeClient, now: () => Date.now()});
import {validate, type ValidateInput} from '../../src/actions/validate/run.js';
import {validateAnalyzers} from '../../src/core/analyze/all.js';
import {testAnalyzer} from '../helpers/analyzer.js';
import {readManifests} from '../../src/adapters/files/read-manifests.js';
import {FakeKubeClient} from '../../src/adapters/kube/fake.js';
import {ToolError, UsageError} from '../../src/errors.js';
import type {Analyzer} from '../../src/core/analyze/types.js';
import {refOf, type KubeObject} from '../../src/core/objects.js';

const FIXTURES = 'test/fixtures/validate';

function input(overrides: Partial<ValidateInput> = {}): ValidateInput {
  return {paths: [], cluster: false, connection: {}, allNamespaces: false, suppress: [], failOn: 'error', ...overrides};
}

function object(kind: string, namespace: string | undefined, name: string,
  extra: Partial<KubeObject> = {}): KubeObject
{
  const apiVersion = kind === 'Gateway' ? 'networking.istio.io/v1' : 'v1';
  return {apiVersion, kind, metadata: namespace ? {name, namespace} : {name}, ...extra};
}

/** Reports every object it sees, so tests can tell what reached analysis and what was reported. */
const seeEverything: Analyzer = testAnalyzer('test.see-everything',
  ({objects}) => objects.map(({object: seen, source}) => ({
    code: 'SM9999',
    severity: 'error' as const,
    message: JSON.stringify(seen),
    resource: refOf(seen),
    ...(source ? {file: source.file, line: source.line} : {}),
  })));

/** A schema check that finds nothing: these tests are about what reaches analysis. */
const noSchemaProblems = async (objects: readonly KubeObject[]) => objects.map(() => []);

function deps(client: FakeKubeClient, overrides: Partial<ValidateDeps> = {}): ValidateDeps {
  return {...defaultValidateDeps, connect: async () => client, checkSchemas: noSchemaProblems,
    analyzers: () => [seeEverything], ...overrides};
}

const liveObjects = [
  object('Namespace', undefined, 'shop'),
  object('Namespace', undefined, 'other'),
  object('Gateway', 'shop', 'edge', {
    metadata: {name: 'edge', namespace: 'shop', managedFields: [{manager: 'kubectl'}]},
  }),
  object('Gateway', 'other', 'elsewhere'),
  object('Gateway', 'istio-system', 'mesh-wide'),
  object('Secret', 'shop', 'token', {data: {token: 'c2VjcmV0'}, stringData: {token: 'secret'}}),
];

describe('validate, live', () => {
  it("lists the context namespace and Istio's root namespace, and reports on the namespace only", async () => {
    const client = new FakeKubeClient({objects: liveObjects, contextNamespace: 'shop'});
    const result = await validate(input(), deps(client));
    const namespacedCalls = client.listCalls.filter((call) => call.kind === 'Gateway').map((call) =>
      call.scope.namespace
    );
    expect(namespacedCalls.sort()).toEqual(['istio-system', 'shop']);
    expect(client.listCalls.filter((call) => call.kind === 'Namespace')).toEqual([{kind: 'Namespace', scope: {}}]);
    expect(result.report.findings.map((finding) => `${finding.resource?.kind} ${finding.resource?.name}`).sort())
      .toEqual([
        'Gateway edge',
        'Namespace shop',
        'Secret token',
      ]);
    expect(result.report.summary.objects).toBe(5);
    expect(result.exitCode).toBe(3);
  });

  it('keeps neither managed fields nor any Secret data', async () => {
    const client = new FakeKubeClient({objects: liveObjects});
    const result = await validate(input({namespace: 'shop'}), deps(client));
    const seen = result.report.findings.map((finding) => finding.message).join('\n');
    expect(seen).not.toContain('managedFields');
    expect(seen).not.toContain('c2VjcmV0');
    expect(seen).not.toContain('"secret"');
    expect(seen).toContain('"kind":"Secret"');
  });

  it('lists every namespace with --all-namespaces and reports on all of them', async () => {
    const client = new FakeKubeClient({objects: liveObjects});
    const result = await validate(input({allNamespaces: true}), deps(client));
    expect(client.listCalls.every((call) => call.scope.namespace === undefined)).toBe(true);
    expect(result.report.summary.findings).toBe(liveObjects.length);
  });

  it("surfaces a failing API server as the client's error (exit 1), and a refused flag pair as a usage error", async () => {
    const refused = new ToolError('kube-apiserver', ['GET', '/apis'], 403, 'forbidden');
    await expect(validate(input(), deps(new FakeKubeClient({objects: liveObjects, failDiscovery: refused})))).rejects
      .toBe(refused);
    const listFails = new FakeKubeClient({objects: liveObjects, failList: {kind: 'Gateway', error: refused}});
    await expect(validate(input({namespace: 'shop'}), deps(listFails))).rejects.toBe(refused);
    await expect(validate(input({namespace: 'shop', allNamespaces: true}), deps(new FakeKubeClient()))).rejects.toThrow(
      UsageError,
    );
  });
});

describe('validate, what a live run lists', () => {
  const served = (group: string, ...kinds: string[]) =>
    kinds.map((kind) => ({group, version: 'v1', kind, plural: `${kind.toLowerCase()}s`, namespaced: true}));
  // Every kind a cluster with Istio, Linkerd and the Gateway API serves that analysis could care about.
  const types = [
    ...served('', 'Namespace', 'Service', 'Pod', 'ConfigMap', 'Secret', 'ServiceAccount', 'Node', 'Endpoints', 'Event'),
    ...served('apps', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'),
    ...served('batch', 'Job', 'CronJob'),
    ...served('networking.k8s.io', 'NetworkPolicy', 'Ingress'),
    ...served('admissionregistration.k8s.io', 'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'),
    ...served('apiextensions.k8s.io', 'CustomResourceDefinition'),
    ...served('networking.istio.io', 'DestinationRule', 'EnvoyFilter', 'Gateway', 'ProxyConfig', 'ServiceEntry',
      'Sidecar', 'VirtualService', 'WorkloadEntry', 'WorkloadGroup'),
    ...served('security.istio.io', 'AuthorizationPolicy', 'PeerAuthentication', 'RequestAuthentication'),
    ...served('telemetry.istio.io', 'Telemetry'),
    ...served('extensions.istio.io', 'WasmPlugin'),
    ...served('gateway.networking.k8s.io', 'Gateway', 'GatewayClass', 'GRPCRoute', 'HTTPRoute', 'ReferenceGrant',
      'TCPRoute'),
    ...served('gateway.networking.x-k8s.io', 'XBackendTrafficPolicy'),
    ...served('policy.linkerd.io', 'AuthorizationPolicy', 'HTTPRoute', 'MeshTLSAuthentication', 'NetworkAuthentication',
      'Server', 'ServerAuthorization'),
    ...served('linkerd.io', 'ServiceProfile'),
  ];

  it('lists the kinds the analysers declare as their inputs, and no other', async () => {
    const client = new FakeKubeClient({types});
    await validate(input({allNamespaces: true}), deps(client));
    const listed = client.listCalls.map((call) => call.kind);
    expect([...listed].sort()).toEqual([
      // Built-in kinds: the same as the hand-kept list before.
      'ConfigMap',
      'CronJob',
      'CustomResourceDefinition',
      'DaemonSet',
      'Deployment',
      'Job',
      'MutatingWebhookConfiguration',
      'Namespace',
      'NetworkPolicy',
      'Node',
      'Pod',
      'Secret',
      'Service',
      'ServiceAccount',
      'StatefulSet',
      'ValidatingWebhookConfiguration',
      // Mesh kinds some analyser reads; every kind of security.istio.io and policy.linkerd.io (read as a whole).
      'AuthorizationPolicy',
      'AuthorizationPolicy',
      'DestinationRule',
      'EnvoyFilter',
      'GRPCRoute',
      'Gateway',
      'Gateway',
      'HTTPRoute',
      'HTTPRoute',
      'MeshTLSAuthentication',
      'NetworkAuthentication',
      'PeerAuthentication',
      'ProxyConfig',
      'RequestAuthentication',
      'Server',
      'ServerAuthorization',
      'ServiceEntry',
      'Sidecar',
      'Telemetry',
      'VirtualService',
      'WasmPlugin',
      'WorkloadEntry',
    ].sort());
  });
});

describe('validate, --suppress', () => {
  it.each(['IST0101', 'IST0101=Gateway', 'IST-0101=Gateway a'])(
    'refuses %j with a usage error naming --suppress (exit 2)',
    async (text) => {
      const run = validate(input({paths: [`${FIXTURES}/mixed`], suppress: [text]}), deps(new FakeKubeClient()));
      await expect(run).rejects.toThrow(UsageError);
      await expect(run).rejects.toThrow(new RegExp(`^--suppress: ${JSON.stringify(text)} `));
      await expect(run).rejects.toMatchObject({exitCode: 2});
    },
  );
});

describe('validate, files with --cluster', () => {
  it("lets a file's object replace its live version and reports only the files' objects", async () => {
    const live = [...liveObjects, object('Gateway', 'shop', 'orphan-gateway', {spec: {from: 'cluster'}})];
    const client = new FakeKubeClient({objects: live});
    const result = await validate(input({paths: [`${FIXTURES}/bad/gateways.yaml`], cluster: true}), deps(client));
    const reported = result.report.findings.map((finding) => [finding.resource?.name, finding.file]);
    expect(reported).toEqual([
      ['orphan-gateway', `${FIXTURES}/bad/gateways.yaml`],
      ['tls-gateway', `${FIXTURES}/bad/gateways.yaml`],
    ]);
    expect(result.report.findings[0]?.message).not.toContain('"from":"cluster"');
    // Two from the file, every live object but the replaced one.
    expect(result.report.summary.objects).toBe(2 + live.length - 1);
  });

  it('judges DestinationRule subsets against pods only where pods can be known: a cluster, or files that hold workloads', async () => {
    const text =
      'apiVersion: v1\nkind: Service\nmetadata: {name: shop, namespace: shop}\nspec: {selector: {app: shop}, ports: [{port: 80}]}\n---\n'
      + 'apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: shop, namespace: shop}\n'
      + 'spec: {host: shop, subsets: [{name: v1, labels: {version: v1}}]}\n';
    const codes = async (cluster: boolean) =>
      (await validate(input({paths: ['-'], cluster}), {
        ...defaultValidateDeps,
        connect: async () => new FakeKubeClient({objects: []}),
        checkSchemas: noSchemaProblems,
        readManifests: (paths) => defaultValidateDeps.readManifests(paths, {readStdin: async () => text}),
      })).report.findings.map((finding) => finding.code);
    // Files alone: no pod is known, as with istioctl analyze --use-kube=false.
    expect(await codes(false)).not.toContain('IST0173');
    // With the cluster: it runs no pod with version v1, so traffic to the subset would fail.
    expect(await codes(true)).toContain('IST0173');
  });

  it('places findings at the field they are about: a route, its retries, a fault, an mTLS mode, an ALLOW rule', async () => {
    const text = ['apiVersion: networking.istio.io/v1', 'kind: VirtualService',
      'metadata: {name: shop, namespace: shop}', 'spec:', '  hosts: [shop]', '  http:', '  - route:',
      '    - destination: {host: shop}', '      weight: 60', '    - destination: {host: shop}', '      weight: 30',
      '    timeout: 1s', '    retries:', '      attempts: 3', '      perTryTimeout: 1s', '    fault:',
      '      abort: {httpStatus: 500}', '---', 'apiVersion: security.istio.io/v1', 'kind: PeerAuthentication',
      'metadata: {name: default, namespace: shop}', 'spec:', '  mtls:', '    mode: PERMISSIVE', '---',
      'apiVersion: security.istio.io/v1', 'kind: AuthorizationPolicy', 'metadata: {name: open, namespace: shop}',
      'spec:', '  action: ALLOW', '  rules:', '  - {}', ''].join('\n');
    // Complete: the destination host's missing Service is reported (IST0101), as a cluster would.
    const result = await validate(input({paths: ['-'], failOn: 'none', complete: true}), {
      ...defaultValidateDeps,
      checkSchemas: noSchemaProblems,
      readManifests: (paths) => defaultValidateDeps.readManifests(paths, {readStdin: async () => text}),
    });
    const lineOf = (prefix: string) => text.split('\n').findIndex((line) => line.startsWith(prefix)) + 1;
    // The first finding of each code: both destinations lack their Service (IST0101 at each, as istioctl reports them).
    const lines = Object.fromEntries(
      result.report.findings.filter((finding) => finding.file === '<stdin>').map((
        finding,
      ) => [finding.code, finding.line]).reverse(),
    );
    expect(result.report.findings.filter((finding) => finding.code === 'IST0101').map((finding) => finding.line))
      .toEqual([8, 10]);
    expect(lines).toMatchObject({
      SM4001: lineOf('  - route:'),
      SM4010: lineOf('    retries:'),
      SM4020: lineOf('    fault:'),
      SM1002: lineOf('    mode: PERMISSIVE'),
      SM1020: lineOf('  - {}'),
      IST0101: lineOf('    - destination: {host: shop}'),
    });
  });

  it("places Istio findings where istioctl does: an annotation, a Service port, a Namespace's name, an AuthorizationPolicy source namespace", async () => {
    const text = ['apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: shop', '---', 'apiVersion: v1',
      'kind: Service', 'metadata:', '  name: web', '  namespace: shop', '  annotations:',
      '    sidecar.istio.io/bogus: "1"', 'spec:', '  selector: {app: web}', '  ports:', '  - name: http',
      '    port: 80', '  - name: admin', '    port: 9090', '---', 'apiVersion: security.istio.io/v1',
      'kind: AuthorizationPolicy', 'metadata: {name: from-elsewhere, namespace: shop}', 'spec:', '  rules:',
      '  - from:', '    - source:', '        namespaces:', '        - shop', '        - nowhere', ''].join('\n');
    // Complete: whether shop is injected by default is the injector's to say, and it is not in the input (IST0102).
    const result = await validate(input({paths: ['-'], failOn: 'none', complete: true}), {
      ...defaultValidateDeps,
      checkSchemas: noSchemaProblems,
      readManifests: (paths) => defaultValidateDeps.readManifests(paths, {readStdin: async () => text}),
    });
    const lineOf = (wanted: string) => text.split('\n').indexOf(wanted) + 1;
    const lines = result.report.findings.filter((finding) => finding.file === '<stdin>').map((finding) =>
      `${finding.code} ${finding.line}`
    );
    expect(lines).toEqual(expect.arrayContaining([
      `IST0102 ${lineOf('  name: shop')}`,
      `IST0108 ${lineOf('    sidecar.istio.io/bogus: "1"')}`,
      `IST0118 ${lineOf('    port: 9090')}`,
      `IST0101 ${lineOf('        - nowhere')}`,
    ]));
  });

  it('does not connect at all without --cluster', async () => {
    const result = await validate(input({paths: [`${FIXTURES}/bad/gateways.yaml`]}),
      deps(new FakeKubeClient(), {connect: () => Promise.reject(new Error('connected'))}));
    expect(result.report.summary.files).toBe(1);
  });
});

describe('validate, --mesh-config', () => {
  const meshSeen = async (text: string) => {
    let given: Record<string, unknown> | undefined;
    await validate(input({paths: [`${FIXTURES}/mixed`], meshConfigFile: 'mesh.yaml'}), deps(new FakeKubeClient(), {
      readText: async () => text,
      analyzers: (meshConfig) => {
        given = meshConfig;
        return [];
      },
    }));
    return given;
  };

  it('reads a MeshConfig document, or the istio ConfigMap holding one', async () => {
    expect(await meshSeen('rootNamespace: mesh-root\n')).toEqual({rootNamespace: 'mesh-root'});
    expect(
      await meshSeen(
        'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio}\ndata:\n  mesh: |\n    trustDomain: example.org\n',
      ),
    ).toEqual({trustDomain: 'example.org'});
  });

  it("reaches sparc-mesh's own analysers too: the root namespace it names holds the mesh-wide policy", async () => {
    const text = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {istio-injection: enabled}}\n---\n'
      + 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: mesh-root}\nspec: {mtls: {mode: STRICT}}\n';
    // Complete: the mesh-wide default is judged missing even though the input holds nothing of the root namespace.
    const run = async (meshConfigFile?: string) =>
      (await validate(input({paths: ['-'], complete: true, ...(meshConfigFile ? {meshConfigFile} : {})}),
        deps(new FakeKubeClient(), {
          readManifests: (paths) => defaultValidateDeps.readManifests(paths, {readStdin: async () => text}),
          readText: async () => 'rootNamespace: mesh-root\n',
          analyzers: validateAnalyzers,
        }))).report.findings.map((finding) => finding.code);
    expect(await run()).toContain('SM1005');
    expect(await run('mesh.yaml')).not.toContain('SM1005');
  });

  it('refuses an unreadable or malformed file as a usage error naming it', async () => {
    await expect(meshSeen('rootNamespace: [')).rejects.toThrow(/mesh\.yaml:1: is not YAML/);
    await expect(
      validate(input({paths: [`${FIXTURES}/mixed`], meshConfigFile: 'missing.yaml'}), deps(new FakeKubeClient(), {
        readText: () => Promise.reject(new Error('ENOENT')),
      })),
    ).rejects.toThrow(/^--mesh-config: "missing\.yaml" cannot be read/);
  });
});

describe('validate, partial input and --complete', () => {
  const text = ['apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: {name: shop, namespace: shop}',
    'spec: {hosts: [shop], http: [{route: [{destination: {host: cart}}]}]}', '---', 'apiVersion: v1', 'kind: Namespace',
    'metadata: {name: lonely}', ''].join('\n');
  const run = async (extra: string, overrides: Partial<ValidateInput>) =>
    (await validate(input({paths: ['-'], failOn: 'none', ...overrides}), {
      ...defaultValidateDeps,
      checkSchemas: noSchemaProblems,
      readManifests: (paths) => defaultValidateDeps.readManifests(paths, {readStdin: async () => text + extra}),
    })).report.findings.map((finding) => `${finding.code} ${finding.resource?.name ?? ''}`);
  const cartService =
    '---\napiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec: {ports: [{name: http, port: 80}]}\n';

  it('reports a missing destination Service only where the files hold Services of its namespace, or all with --complete', async () => {
    expect(await run('', {})).not.toContain('IST0101 shop');
    expect(await run(cartService, {})).toContain('IST0101 shop');
    expect(await run('', {complete: true})).toContain('IST0101 shop');
  });

  it("judges a namespace's missing defaults only where the files hold its objects, or all with --complete", async () => {
    expect(await run('', {})).not.toContain('SM3001 lonely');
    expect(await run('', {complete: true})).toContain('SM3001 lonely');
  });
});

describe('validate, --mesh-networks and gateway certificates', () => {
  const grid = (file: string) => path.join(GRID_ROOT, 'testdata', file);
  const codes = async (overrides: Partial<ValidateInput>, extra: Partial<ValidateDeps> = {}) =>
    (await validate(input({failOn: 'none', ...overrides}), {...defaultValidateDeps, checkSchemas: noSchemaProblems,
      ...extra})).report.findings.map((finding) => `${finding.code} ${finding.resource?.name ?? ''}`);

  it('reads a MeshNetworks document and reports endpoints from registries that no remote secret names (IST0126)', async () => {
    const paths = [grid('multicluster-unknown-serviceregistry.yaml')];
    expect(await codes({paths})).not.toContain('IST0126 meshnetworks');
    const found = await codes({paths, meshNetworksFile: grid('common/meshnetworks.yaml')});
    // `kubernetes` is not the built-in `Kubernetes`, and no remote secret names `istio-testing`.
    expect(found.filter((finding) => finding.startsWith('IST0126'))).toEqual(['IST0126 meshnetworks',
      'IST0126 meshnetworks']);
  });

  it('takes MeshNetworks from the istio ConfigMap too, and names --mesh-networks when the file cannot be read', async () => {
    const configMap =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio}\ndata:\n  meshNetworks: |\n    networks: {n1: {endpoints: [{fromRegistry: nowhere}]}}\n';
    const found = await codes({paths: [grid('multicluster-unknown-serviceregistry.yaml')],
      meshNetworksFile: 'networks.yaml'}, {readText: async () => configMap});
    expect(found.filter((finding) => finding.startsWith('IST0126'))).toEqual(['IST0126 meshnetworks']);
    await expect(
      codes({paths: [grid('multicluster-unknown-serviceregistry.yaml')], meshNetworksFile: 'missing.yaml'}, {
        readText: () => Promise.reject(new Error('ENOENT')),
      }),
    )
      .rejects.toThrow(/^--mesh-networks: "missing\.yaml" cannot be read/);
  });

  it("reports a gateway whose Secret holds an expired certificate (IST0161), judged at the run's clock", async () => {
    const paths = [grid('gateway-secrets-validation.yaml')];
    const at = (iso: string) => ({now: () => Date.parse(iso)});
    // The expired certificate of the test data ran out in 2023.
    expect(await codes({paths}, at('2030-01-01T00:00:00Z'))).toContain('IST0161 defaultgateway-expired');
    expect(await codes({paths}, at('2023-03-14T03:00:00Z'))).not.toContain('IST0161 defaultgateway-expired');
  });

  it('loads the certificate reader only when a Gateway and a Secret are among the objects', async () => {
    const loadCertificateReader = () => Promise.reject(new Error('loaded'));
    await expect(codes({paths: [grid('multicluster-unknown-serviceregistry.yaml')]}, {loadCertificateReader})).resolves
      .toBeDefined();
    await expect(codes({paths: [grid('gateway-secrets-validation.yaml')]}, {loadCertificateReader})).rejects.toThrow(
      'loaded',
    );
  });
});

describe('readManifests', () => {
  it('reads a folder and a file inside it once, in path order, YAML and JSON only', async () => {
    const read = await readManifests([`./${FIXTURES}/mixed`, `${FIXTURES}/mixed/service.json`, `${FIXTURES}/bad`]);
    expect(read.files).toEqual([
      `${FIXTURES}/mixed/not-kubernetes.yaml`,
      `${FIXTURES}/mixed/service.json`,
      `${FIXTURES}/bad/gateways.yaml`,
      `${FIXTURES}/bad/suppressed.yaml`,
    ]);
    expect(read.objects.map(({object}) => object.metadata.name)).toEqual(['json-service', 'orphan-gateway',
      'tls-gateway', 'accepted-gateway', 'legacy-gateway']);
  });

  it('names an unreadable path in a usage error', async () => {
    const failure = readManifests([`${FIXTURES}/nothing-here.yaml`]);
    await expect(failure).rejects.toThrow(UsageError);
    await expect(failure).rejects.toThrow(`${FIXTURES}/nothing-here.yaml: cannot read: no such file or directory`);
  });

  it('reads standard input for -, under the name <stdin>', async () => {
    const read = await readManifests(['-'], {
      readStdin: async () => 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n: bad: [\n',
    });
    expect(read.files).toEqual(['<stdin>']);
    expect(read.objects[0]?.source).toEqual({file: '<stdin>', line: 1, documentIndex: 0});
    expect(read.parseErrors.map((error) => [error.file, error.line])).toEqual([['<stdin>', 5]]);
  });
});
