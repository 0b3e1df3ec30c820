// Runs the built CLI (`node bin/run.js validate ...`) on the fixture folders and checks
// what CI depends on: exit codes (the same for every format), output shapes, SARIF against
// the official 2.1.0 schema and GitHub's rules, JUnit well-formedness and counts.
import {createRequire} from 'node:module';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {XMLParser, XMLValidator} from 'fast-xml-parser';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import type {Log} from 'sarif';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {writeCorpus} from '../../scripts/bench/validate-corpus.js';
import {parseManifests} from '../../src/core/manifests.js';
import {cliSession, type CliSession} from './validate-cli.js';

// CommonJS packages whose default export TypeScript sees as the module object.
const Ajv = AjvDraft04Module as unknown as typeof AjvDraft04Module.default;
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const FIXTURES = 'test/fixtures/validate';
const fixture = (name: string) => `${FIXTURES}/${name}`;
const FORMATS = ['table', 'json', 'yaml', 'sarif', 'junit'] as const;

let cli: CliSession;
beforeAll(async () => {
  cli = await cliSession();
}, 180_000);
afterAll(() => cli?.dispose());

// Each CLI start costs a second or more; tests that ask for the same invocation share it.
const runs = new Map<string, ReturnType<CliSession['run']>>();
function validate(args: string[], input?: string): ReturnType<CliSession['run']> {
  const key = JSON.stringify([args, input]);
  if (!runs.has(key)) runs.set(key, cli.run(['validate', ...args], input));
  return runs.get(key) as ReturnType<CliSession['run']>;
}
// The bad fixtures describe a whole mesh (--complete): their gateways' missing pods and Secret are reported.
const BAD = [fixture('bad'), fixture('syntax'), '--complete'];
// Tests run concurrently (they only read fixtures); a loaded machine makes each CLI start slow.
const CONCURRENT = {concurrent: true, timeout: 120_000};

interface JsonFinding {
  code: string;
  severity: string;
  message: string;
  resource: {apiVersion: string; kind: string; namespace: string | null; name: string} | null;
  file: string | null;
  line: number | null;
  documentation: string | null;
}

function parseJson(stdout: string): {findings: JsonFinding[]; summary: Record<string, unknown>} {
  return JSON.parse(stdout) as {findings: JsonFinding[]; summary: Record<string, unknown>};
}

describe('sparc-mesh validate exit codes', CONCURRENT, () => {
  it.each(FORMATS)('a correct platform config exits 0 (-o %s)', async (format) => {
    const result = await validate([fixture('good'), '-o', format]);
    expect(result.stderr).toBe('');
    expect(result.exitCode, result.stderr).toBe(0);
  });

  it.each(FORMATS)('errors exit 3 (-o %s)', async (format) => {
    const result = await validate([...BAD, '-o', format]);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stdout).toContain('IST0101');
  });

  it('does not report from files alone what they cannot know: the pods and the Secret the gateways name', async () => {
    const result = await validate([fixture('bad'), '-o', 'json']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(parseJson(result.stdout).findings.map((finding) => finding.code)).not.toContain('IST0101');
  });

  it('exits 3 with --json too, and reports the status in the envelope', async () => {
    const result = await validate([fixture('bad'), '--complete', '--json']);
    expect(result.exitCode, result.stderr).toBe(3);
    const envelope = JSON.parse(result.stdout) as {status: number; result: {findings: unknown[]}};
    expect(envelope.status).toBe(3);
    expect(envelope.result.findings.length).toBeGreaterThan(0);
  });

  it('--fail-on none exits 0 whatever is found', async () => {
    const result = await validate([...BAD, '--fail-on', 'none']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('IST0101');
  });

  it('suppressing every error by flag turns exit 3 into 0', async () => {
    const [before, after] = await Promise.all([
      validate([fixture('bad'), '--complete', '-o', 'json']),
      validate([fixture('bad'), '--complete', '--suppress', 'IST0101=Gateway orphan-gateway', '--suppress',
        'IST0101=Gateway tls-gateway.istio-system', '-o', 'json']),
    ]);
    expect(before.exitCode).toBe(3);
    expect(after.exitCode).toBe(0);
    const {findings, summary} = parseJson(after.stdout);
    expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
    expect(summary.suppressed).toBe(Number(parseJson(before.stdout).summary.suppressed) + 2);
  });

  it.each([
    [['test/fixtures/validate/no-such-folder'], /no-such-folder: cannot read: no such file or directory/],
    [[fixture('bad'), '--suppress', 'IST0101'], /--suppress: "IST0101" is not CODE=Kind name-glob/],
    [[fixture('bad'), '-o', 'xml'], /Expected --output=xml to be one of: table, json, yaml, sarif, junit/],
    [[fixture('bad'), '--fail-on', 'fatal'], /--fail-on/],
    [[fixture('bad'), '--mesh-config', 'test/fixtures/validate/none.yaml'], /--mesh-config: .*none\.yaml/],
    [['--cluster'], /--cluster: .*no path was given/],
  ])('bad usage %j exits 2 and names the problem', async (args, message) => {
    const result = await validate(args);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stdout).toBe('');
  });
});

describe('sparc-mesh validate inputs', CONCURRENT, () => {
  it('without paths and without any kubeconfig, says so and exits 2', async () => {
    const home = mkdtempSync(join(cli.root, 'no-home-'));
    const result = await cli.run(['validate'], undefined, {HOME: home, KUBECONFIG: '', KUBERNETES_SERVICE_HOST: ''});
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('no kubeconfig found');
    expect(result.stderr).toContain('Try: pass --kubeconfig FILE, or give manifest paths');
  });

  it('reports a YAML syntax error with file and line and still analyses the documents after it', async () => {
    const result = await validate([...BAD, '-o', 'json']);
    expect(result.exitCode, result.stderr).toBe(3);
    const {findings} = parseJson(result.stdout);
    const syntax = findings.find((finding) => finding.code === 'SM0003');
    expect(syntax).toMatchObject({severity: 'error', file: `${FIXTURES}/syntax/broken.yaml`, resource: null});
    // The broken document spans lines 9-16; the unclosed bracket opens on line 15, column 8.
    expect(syntax?.line).toBeGreaterThanOrEqual(13);
    expect(syntax?.line).toBeLessThanOrEqual(16);
    expect(syntax).toMatchObject({line: 15,
      message: expect.stringMatching(/^YAML syntax error at column 8: flow sequence "\[" is never closed/) as string});
    expect(findings.some((finding) => finding.resource?.name === 'after-the-error' && finding.line === 18)).toBe(true);
  });

  it('skips non-Kubernetes YAML, empty documents and files that are not YAML or JSON', async () => {
    const result = await validate([fixture('mixed'), '-o', 'json']);
    const {findings, summary} = parseJson(result.stdout);
    expect(findings.filter((finding) => finding.file?.endsWith('not-kubernetes.yaml') || finding.code === 'SM0003'))
      .toEqual([]);
    // not-kubernetes.yaml (2 non-objects, 1 empty document) and service.json; README.txt is not read.
    expect(summary).toMatchObject({files: 2, objects: 1, skippedDocuments: 2});
  });

  it('reports alpha-phase Istio annotations only with --alpha-annotations, as istioctl leaves them out by default', async () => {
    const pod = JSON.stringify({apiVersion: 'v1', kind: 'Pod',
      metadata: {name: 'web', namespace: 'shop', annotations: {'ambient.istio.io/dns-capture': 'true'}},
      spec: {containers: [{name: 'web', image: 'registry.example/web:1'}]}});
    const codes = (stdout: string) => parseJson(stdout).findings.map((finding) => finding.code);
    expect(codes((await validate(['-', '-o', 'json', '--fail-on', 'none'], pod)).stdout)).not.toContain('IST0136');
    const alpha = parseJson(
      (await validate(['-', '-o', 'json', '--fail-on', 'none', '--alpha-annotations'], pod)).stdout,
    );
    expect(
      alpha.findings.filter((finding) => finding.code === 'IST0136').map((
        finding,
      ) => [finding.severity, finding.resource?.name, finding.message]),
    ).toEqual([
      ['info', 'web',
        'Annotation "ambient.istio.io/dns-capture" belongs to an alpha-phase feature, which may be incomplete or change without notice.'],
    ]);
  });

  it('reads multi-document YAML from standard input with -', async () => {
    const text = readFileSync(fixture('bad/gateways.yaml'), 'utf8');
    const result = await validate(['-', '--complete', '-o', 'json'], text);
    expect(result.exitCode, result.stderr).toBe(3);
    const {findings} = parseJson(result.stdout);
    expect(
      findings.filter((finding) => finding.code === 'IST0101').map((
        finding,
      ) => [finding.file, finding.line, finding.resource?.name]),
    ).toEqual([
      ['<stdin>', 1, 'orphan-gateway'],
      ['<stdin>', 17, 'tls-gateway'],
    ]);
  });
});

describe('sparc-mesh validate schema findings', CONCURRENT, () => {
  // The second document starts after a comment; its typo sits in a kubectl-style sequence.
  const manifest = ['apiVersion: v1', 'kind: Namespace', 'metadata:', '  name: shop', '---', '# the shop',
    'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: shop', '  namespace: shop', 'spec:',
    '  replicas: two', '  selector:', '    matchLabels: {app: shop}', '  template:', '    metadata:',
    '      labels: {app: shop}', '    spec:', '      containers:', '      - name: app', '        image: shop:1',
    '        ports:', '        - containerPort: 8080', '          protocl: TCP', ''].join('\n');
  const lineOf = (text: string) => manifest.split('\n').findIndex((line) => line.includes(text)) + 1;

  it('point at the line of the field, in JSON and in SARIF (where code scanning annotates)', async () => {
    const json = parseJson((await validate(['-', '-o', 'json'], manifest)).stdout);
    expect(
      json.findings.filter((finding) => finding.code === 'SM0001').map((finding) => [finding.message, finding.line]),
    ).toEqual([
      ['spec.replicas: must be an integer, got string "two"', lineOf('replicas: two')],
      ['spec.template.spec.containers[0].ports[0].protocl: unknown field "protocl"', lineOf('protocl: TCP')],
    ]);
    // SARIF places findings of standard input at line 1 of a pseudo-path: a file it is.
    const folder = mkdtempSync(join(tmpdir(), 'sparc-mesh-fields-'));
    writeFileSync(join(folder, 'shop.yaml'), manifest);
    const log = JSON.parse((await validate([join(folder, 'shop.yaml'), '-o', 'sarif'])).stdout) as Log;
    rmSync(folder, {recursive: true, force: true});
    const regions = (log.runs[0]?.results ?? []).filter((result) => result.ruleId === 'SM0001')
      .map((result) => result.locations?.[0]?.physicalLocation?.region?.startLine);
    expect(regions).toEqual([lineOf('replicas: two'), lineOf('protocl: TCP')]);
  });

  it("judge Linkerd objects by Linkerd's CRDs: a valid Server passes, a broken AuthorizationPolicy is named", async () => {
    const linkerd = ['apiVersion: policy.linkerd.io/v1beta3', 'kind: Server', 'metadata:', '  name: web',
      '  namespace: shop', 'spec:', '  podSelector:', '    matchLabels: {app: web}', '  port: http',
      '  proxyProtocol: HTTP/1', '---', 'apiVersion: policy.linkerd.io/v1alpha1', 'kind: AuthorizationPolicy',
      'metadata:', '  name: web', '  namespace: shop', 'spec:',
      '  targetRef: {group: policy.linkerd.io, kind: Server, name: web}', '  requiredAuthenticationRefs:',
      '  - {kind: MeshTLSAuthentication}', ''].join('\n');
    const json = parseJson((await validate(['-', '-o', 'json'], linkerd)).stdout);
    expect(
      json.findings.filter((finding) => finding.code === 'SM0001' || finding.code === 'SM0002').map((
        finding,
      ) => [finding.code, finding.message, finding.line]),
    ).toEqual([
      ['SM0001', 'spec.requiredAuthenticationRefs[0].name: missing required field "name"', 20],
    ]);
  });

  it("head each resource in the table with its own line, and give each finding its field's", async () => {
    const {stdout} = await validate(['-'], manifest);
    expect(stdout).toContain(`  Deployment shop/shop  line ${lineOf('apiVersion: apps/v1')}\n`);
    expect(stdout).toContain(`spec.replicas: must be an integer, got string "two" (line ${lineOf('replicas: two')})\n`);
  });
});

describe('sparc-mesh validate with SPARC_MESH_TIMING', CONCURRENT, () => {
  it("prints each phase's milliseconds on standard error and changes neither output nor exit code", async () => {
    const plain = await validate([...BAD, '-o', 'json']);
    const timed = await cli.run(['validate', ...BAD, '-o', 'json'], undefined, {SPARC_MESH_TIMING: '1'});
    expect(timed.exitCode).toBe(plain.exitCode);
    expect(timed.stdout).toBe(plain.stdout);
    const phases = timed.stderr.split('\n').map((line) => /^(.+?)\s+(\d+\.\d) ms$/.exec(line)?.[1]);
    expect(phases).toEqual(expect.arrayContaining(['read files', 'schema', 'analyser istio', 'output', 'total']));
    expect(plain.stderr).toBe('');
  });
});

describe('sparc-mesh validate on a large tree', CONCURRENT, () => {
  it('reads every object, and places findings on the file and line of the field they are about', async () => {
    // 400 services: about 1.4 MB of YAML in 401 files.
    const dir = mkdtempSync(join(cli.root, 'large-'));
    const corpus = await writeCorpus(dir, 400);
    const result = await validate([dir, '-o', 'json']);
    expect(result.exitCode, result.stderr).toBe(3);
    const {findings, summary} = parseJson(result.stdout);
    expect(summary).toMatchObject({objects: corpus.objects, files: corpus.files, skippedDocuments: 0});
    // The corpus breaks every 50th service from 7 on: its route names a host that does not exist.
    const late = join(dir, 'services', 'svc-0357.yaml');
    const text = readFileSync(late, 'utf8');
    const virtualService = parseManifests(text, late).objects.find(({object}) => object.kind === 'VirtualService');
    const hostLine = text.split('\n').findIndex((line) => line.includes('host: missing-svc-0357')) + 1;
    expect(hostLine).toBeGreaterThan(virtualService?.source?.line ?? Infinity);
    const found = findings.filter((finding) =>
      finding.code === 'IST0101' && finding.resource?.kind === 'VirtualService' && finding.resource.name === 'svc-0357'
    );
    // The missing host and the subset of it, both at the destination's host as istioctl places them.
    expect(found.map((finding) => [finding.file, finding.line])).toEqual([[late, hostLine], [late, hostLine]]);
    const files = findings.map((finding) => finding.file ?? '~');
    expect(files).toEqual([...files].sort());
  });
});

describe('sparc-mesh validate output formats', CONCURRENT, () => {
  it('prints JSON in the documented shape', async () => {
    const {findings, summary} = parseJson((await validate([...BAD, '-o', 'json'])).stdout);
    expect(findings[0]).toEqual({
      code: 'IST0101',
      severity: 'error',
      message: expect.stringContaining('no-such-gateway') as string,
      resource: {apiVersion: 'networking.istio.io/v1', kind: 'Gateway', namespace: 'shop', name: 'orphan-gateway'},
      file: `${FIXTURES}/bad/gateways.yaml`,
      line: 1,
      documentation: 'https://istio.io/latest/docs/reference/config/analysis/ist0101/',
    });
    expect(Object.keys(summary)).toEqual(['objects', 'files', 'skippedDocuments', 'findings', 'error', 'warning',
      'info', 'suppressed', 'failOn', 'failed']);
    expect(summary).toMatchObject({files: 3, objects: 6, error: 4, failOn: 'error', failed: true});
    expect(summary.findings).toBe(findings.length);
  });

  it('prints YAML with the same content as JSON', async () => {
    const [json, yamlOut] = await Promise.all([validate([...BAD, '-o', 'json']), validate([...BAD, '-o', 'yaml'])]);
    const {load} = await import('js-yaml');
    expect(load(yamlOut.stdout)).toEqual(JSON.parse(json.stdout));
  });

  it('prints a table grouped by file then resource, without colour when not a TTY', async () => {
    const {stdout} = await validate([...BAD, '-o', 'table']);
    expect(stdout).not.toContain('\u001b[');
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`${FIXTURES}/bad/gateways.yaml`);
    expect(lines[1]).toMatch(/^ {2}Gateway shop\/orphan-gateway {2}line 1$/);
    expect(lines[2]).toMatch(/^ {4}error +IST0101 /);
    expect(stdout).toContain(`${FIXTURES}/syntax/broken.yaml`);
    expect(stdout).toMatch(/^4 errors, \d+ warnings?, \d+ info \(\d+ suppressed\) in 6 objects from 3 files$/m);
  });

  it('prints SARIF 2.1.0 that the official schema accepts and that follows GitHub code scanning rules', async () => {
    const result = await validate([...BAD, '-o', 'sarif']);
    const log = JSON.parse(result.stdout) as Log;
    const require = createRequire(import.meta.url);
    const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
    // The schema has a pattern that is not valid with the `u` flag Ajv sets by default.
    const ajv = new Ajv({allErrors: true, strict: false, unicodeRegExp: false});
    addFormats(ajv);
    const valid = ajv.validate(schema, log);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);

    // GitHub's upload rules (the SARIF SDK's GH1001-GH1007): one run, rules with help, every
    // result with a ruleId that resolves, a message, a relative URI and a start line.
    expect(log.version).toBe('2.1.0');
    const [run] = log.runs;
    const rules = run?.tool.driver.rules ?? [];
    expect(rules.find((rule) => rule.id === 'SM0003')).toMatchObject({
      helpUri: expect.stringMatching(/^https:\/\//) as string,
      shortDescription: {text: 'YAML syntax error'},
    });
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length);
    const results = run?.results ?? [];
    expect(results.filter((sarifResult) => sarifResult.level === 'error')).toHaveLength(4);
    for (const sarifResult of results) {
      expect(rules[sarifResult.ruleIndex as number]?.id).toBe(sarifResult.ruleId);
      expect(sarifResult.message.text).toBeTruthy();
      const physical = sarifResult.locations?.[0]?.physicalLocation;
      expect(physical?.artifactLocation?.uri).toMatch(/^test\/fixtures\/validate\/(bad|syntax)\/[a-z]+\.yaml$/);
      expect(physical?.region?.startLine).toBeGreaterThanOrEqual(1);
    }
    expect(new Set(results.map((sarifResult) => sarifResult.level))).toEqual(new Set(['error', 'warning']));
    const gatewayResult = results.find((sarifResult) =>
      sarifResult.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName === 'Gateway shop/orphan-gateway'
    );
    expect(gatewayResult?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(1);
  });

  it('prints JUnit XML that is well-formed, with one suite per file and one case per resource', async () => {
    const result = await validate([...BAD, '-o', 'junit']);
    expect(XMLValidator.validate(result.stdout)).toBe(true);
    const parsed = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '',
      isArray: (name) => ['testsuite', 'testcase'].includes(name)})
      .parse(result.stdout) as {
        testsuites: {tests: string; failures: string;
          testsuite: {name: string; tests: string; failures: string;
            testcase: {classname: string; name: string; failure?: {message: string}}[]}[]};
      };
    const suites = parsed.testsuites.testsuite;
    expect(suites.map((suite) => suite.name)).toEqual([`${FIXTURES}/bad/gateways.yaml`,
      `${FIXTURES}/bad/suppressed.yaml`, `${FIXTURES}/syntax/broken.yaml`]);
    for (const suite of suites) {
      expect(Number(suite.tests)).toBe(suite.testcase.length);
      expect(Number(suite.failures)).toBe(suite.testcase.filter((testcase) => testcase.failure).length);
    }
    expect(Number(parsed.testsuites.tests)).toBe(suites.reduce((sum, suite) => sum + suite.testcase.length, 0));
    expect(Number(parsed.testsuites.failures)).toBe(4);
    const orphan = suites[0]?.testcase.find((testcase) => testcase.name === 'shop/orphan-gateway');
    expect(orphan).toMatchObject({classname: 'Gateway@networking.istio.io/v1',
      failure: {message: expect.stringMatching(/^IST0101: /) as string}});
    // Suppressed resources are passing testcases.
    expect(suites[1]?.testcase.every((testcase) => !testcase.failure)).toBe(true);
  });
});

describe('sparc-mesh validate explain', CONCURRENT, () => {
  it('prints what a code means and how to fix it', async () => {
    const result = await validate(['explain', 'sm0003']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^SM0003 \(error\): YAML syntax error\n/);
    expect(result.stdout).toContain('How to fix:');
  });

  it('refuses an unknown code with exit 2 and lists near matches', async () => {
    const result = await validate(['explain', 'SM0007']);
    expect(result.exitCode, result.stderr).toBe(2);
    expect(result.stderr).toContain('unknown code "SM0007"; did you mean SM0001, SM0002, SM0003');
  });
});

describe('sparc-mesh validate reachability', CONCURRENT, () => {
  const model = fixture('reachability');

  it('prints one row per call with the verdict and the reasons', async () => {
    const result = await validate(['reachability', model, '--to', 'shop/checkout']);
    expect(result.exitCode, result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^FROM +TO +PORT +VERDICT +L7 +WHY$/);
    expect(lines.slice(1).map((line) => line.split(/ {2,}/).slice(0, 5))).toEqual([
      ['shop/batch', 'shop/checkout', '80→8080', 'deny', '-'],
      ['shop/frontend', 'shop/checkout', '80→8080', 'allow', 'GET,POST'],
    ]);
  });

  it('prints the model as JSON, Mermaid and DOT, drawing denied calls only when asked', async () => {
    const [json, mermaid, dot] = await Promise.all([
      validate(['reachability', model, '-o', 'json']),
      validate(['reachability', model, '--to', 'shop/checkout', '-o', 'mermaid']),
      validate(['reachability', model, '--to', 'shop/checkout', '-o', 'dot', '--include-denied']),
    ]);
    const parsed = JSON.parse(json.stdout) as {nodes: {id: string}[];
      edges: {from: string; to: string; verdict: string}[]};
    expect(parsed.nodes.map((node) => node.id)).toEqual(['shop/batch', 'shop/checkout', 'shop/frontend']);
    expect(parsed.edges.find((edge) => edge.from === 'shop/frontend' && edge.to === 'shop/checkout')?.verdict).toBe(
      'allow',
    );
    expect(mermaid.stdout).toMatch(/^flowchart LR\n/);
    expect(mermaid.stdout).not.toContain('denied');
    expect(dot.stdout).toMatch(/^digraph reachability \{/);
    expect(dot.stdout).toContain('"shop/batch" -> "shop/checkout"');
  });

  it('takes the same inputs as validate: a syntax error is noted, the rest is modelled, and the exit code is not green', async () => {
    const result = await validate(['reachability', fixture('syntax'), model, '-o', 'json']);
    expect(result.exitCode, result.stderr).toBe(3);
    expect(result.stderr).toMatch(/broken\.yaml:\d+: YAML syntax error/);
    expect((JSON.parse(result.stdout) as {edges: unknown[]}).edges.length).toBeGreaterThan(0);
  });
});
