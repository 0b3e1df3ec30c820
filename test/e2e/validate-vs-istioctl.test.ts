// validate next to the real istioctl analyze (the test harness's build) on the same files:
// what istioctl reports, sparc-mesh reports too, with the same code, level, resource, file
// and line (recall); and on Istio's own samples/, what sparc-mesh reports istioctl reports
// too (precision). istioctl reads no Service, Pod, Namespace or Secret from files; sparc-mesh
// reads them and reports what they show, but what they lack only where the files hold objects
// of that kind (see src/core/analyze/coverage.ts). Where sparc-mesh reports from files what
// istioctl's file mode cannot see, the same objects are applied to the test cluster and
// istioctl, reading them there, must report it too.
import {mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {writeCorpus} from '../../scripts/bench/validate-corpus.js';
import {testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {ensureIstioCrds} from './istio-crds.js';
import {pinnedModuleDir} from './pinned-module.js';
import {cli} from '../helpers/cli.js';

interface IstioctlMessage {
  code: string;
  level: string;
  origin: string;
  message: string;
  reference?: string;
}

interface OurFinding {
  code: string;
  severity: string;
  resource: {kind: string; namespace: string | null; name: string} | null;
  file: string | null;
  line: number | null;
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sparc-mesh-vs-istioctl-'));
  // 120 services: three of them (7, 57, 107) route to a subset of a host that does not exist.
  await writeCorpus(dir, 120);
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** Codes sparc-mesh places at a field where istioctl gives the document's first line. */
const FIELD_LINED_HERE = new Set(['IST0106', 'IST0133']);

const ISTIO_TEST_DATA = resolve(import.meta.dirname, '../../../shared/conformance/istio-analyzers/testdata');

/** istioctl's findings on one file; undefined for files it does not take as input (mesh config files among them). */
async function istioctlAnalyze(path: string): Promise<IstioctlMessage[] | undefined> {
  const result = await execa(testbinPath('istioctl'), ['analyze', '--use-kube=false', '-A', path, '-o', 'json'], {
    reject: false,
  });
  if (/Error\(s\) adding files/.test(result.stderr)) return undefined;
  try {
    return JSON.parse(result.stdout) as IstioctlMessage[];
  } catch {
    throw new Error(`istioctl analyze ${path} exited ${result.exitCode} without JSON: ${result.stderr.slice(-500)}`);
  }
}

/** YAML files under a folder, recursively, by path. */
function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, {recursive: true, withFileTypes: true})
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

async function ourFindings(path: string): Promise<OurFinding[]> {
  const result = await execa(process.execPath, [join(import.meta.dirname, '../../bin/run.js'), 'validate', path, '-o',
    'json', '--fail-on', 'none'], {reject: false});
  if (result.exitCode !== 0) {
    throw new Error(`validate ${path} exited ${result.exitCode}: ${result.stderr.slice(-500)}`);
  }
  return (JSON.parse(result.stdout) as {findings: OurFinding[]}).findings;
}

const kubectl = (args: string[]) =>
  execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args], {reject: false, all: true});

/** istioctl's findings on the test cluster, reading what is applied there (`-A`, or one namespace). */
async function istioctlOnCluster(scope: string[]): Promise<IstioctlMessage[]> {
  const result = await execa(testbinPath('istioctl'), ['analyze', '--kubeconfig', testKubeconfig(), ...scope, '-o',
    'json'], {reject: false});
  try {
    return JSON.parse(result.stdout) as IstioctlMessage[];
  } catch {
    throw new Error(
      `istioctl analyze ${scope.join(' ')} exited ${result.exitCode} without JSON: ${result.stderr.slice(-500)}`,
    );
  }
}

/**
 * The files' objects in the test cluster, with Istio's CRDs and the namespaces they name; then
 * `inCluster`, then the objects are deleted again (the cluster is shared by the e2e files).
 */
async function withApplied<T>(paths: string[], namespaces: string[], inCluster: () => Promise<T>): Promise<T> {
  await ensureIstioCrds(testKubeconfig());
  // Namespaces that exist already (other files' tests) are fine: `create` refuses them and nothing changes.
  for (const namespace of namespaces) await kubectl(['create', 'namespace', namespace]);
  const files = paths.flatMap((path) => ['-f', path]);
  const applied = await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=vs-istioctl', '-R',
    ...files]);
  if (applied.exitCode !== 0) throw new Error(`kubectl apply ${paths.join(' ')}: ${applied.all?.slice(-1000)}`);
  try {
    return await inCluster();
  } finally {
    await kubectl(['delete', '--ignore-not-found', '--wait=false', '-R', ...files]);
  }
}

/** `code kind namespace/name` of each finding, sorted: a multiset to compare. */
function keysOf(findings: {code: string; kind: string; namespace: string | null; name: string}[]): string[] {
  return findings.map((finding) => `${finding.code} ${finding.kind} ${finding.namespace ?? ''}/${finding.name}`).sort();
}

/** Runs `work` over `items`, `limit` at a time (each item starts two processes). */
async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) {
    results.push(...await Promise.all(items.slice(start, start + limit).map(work)));
  }
  return results;
}

/** `VirtualService team-07/svc-0007` → kind, namespace and name. */
function originOf(origin: string): {kind: string; namespace: string | null; name: string} {
  const [kind, ref] = origin.split(' ') as [string, string];
  const [namespace, name] = ref.includes('/') ? ref.split('/') as [string, string] : [null, ref];
  return {kind, namespace, name};
}

describe('validate and istioctl analyze on the same files', () => {
  it('reports every istioctl finding with the same code, level, resource, file and line', async () => {
    const istioctl = await execa(testbinPath('istioctl'), ['analyze', '--use-kube=false', '-A', dir, '-o', 'json'], {
      reject: false,
    });
    expect(istioctl.exitCode, istioctl.stderr).toBe(0);
    const theirs = JSON.parse(istioctl.stdout) as IstioctlMessage[];
    expect(theirs.map((message) => message.code)).toEqual(['IST0101', 'IST0101', 'IST0101']);

    const findings = ourCorpusFindings();
    for (const message of theirs) {
      const [file, line] = (message.reference ?? '').split(':') as [string, string];
      expect(findings, `${message.code} ${message.origin} ${message.reference}`).toContainEqual(
        expect.objectContaining({
          code: message.code,
          severity: message.level.toLowerCase(),
          resource: expect.objectContaining(originOf(message.origin)) as unknown,
          file,
          line: Number(line),
        }),
      );
    }
  });

  // istioctl's file mode skips every analyser that reads Services (DestinationHostAnalyzer among them); the corpus holds
  // the Services of the broken routes' namespaces, so sparc-mesh reports the missing host as istioctl does on a cluster.
  it(
    "reports from the files what istioctl reports with the same objects in a cluster: a broken route's host and subset",
    async () => {
      const ours = ourCorpusFindings().filter((finding) => finding.code.startsWith('IST'));
      const oursKeys = keysOf(ours.map((finding) => ({code: finding.code, ...finding.resource!})));
      // Three broken routes, each with a host that no Service has and a subset that no DestinationRule defines.
      expect(oursKeys).toEqual(['team-07/svc-0007', 'team-07/svc-0107', 'team-17/svc-0057']
        .flatMap((name) => [`IST0101 VirtualService ${name}`, `IST0101 VirtualService ${name}`]).sort());
      const onCluster = await withApplied([dir], ['istio-system'], () => istioctlOnCluster(['-A']));
      // On a cluster istioctl also judges pods (IST0103: kwok's pods have no sidecar) and namespaces (IST0102).
      const theirKeys = keysOf(onCluster.map((message) => ({code: message.code, ...originOf(message.origin)})))
        .filter((key) => key.startsWith('IST0101 VirtualService team-'));
      expect(oursKeys).toEqual(theirKeys);
    },
  );
});

function ourCorpusFindings(): OurFinding[] {
  const ours = cli(['validate', dir, '-o', 'json', '--fail-on', 'none']);
  expect(ours.status, ours.stderr).toBe(0);
  return (JSON.parse(ours.stdout) as {findings: OurFinding[]}).findings;
}

describe("validate and istioctl analyze on Istio's own analyser test data", () => {
  it('reports at least 95% of what istioctl reports on each file, nearly all on the same line', async () => {
    const files = readdirSync(ISTIO_TEST_DATA).filter((name) => name.endsWith('.yaml')).sort();
    const compared = await inBatches(files, 4, async (name) => {
      const path = join(ISTIO_TEST_DATA, name);
      const theirs = await istioctlAnalyze(path) ?? [];
      const ours = theirs.length > 0 ? await ourFindings(path) : [];
      return theirs.map((message) => {
        const origin = originOf(message.origin);
        const same = ours.filter((finding) =>
          finding.code === message.code && finding.severity === message.level.toLowerCase()
          && finding.resource?.kind === origin.kind && finding.resource.name === origin.name
          && (origin.namespace === null || finding.resource.namespace === origin.namespace)
        );
        // istioctl puts Istio's validation (IST0106, IST0133) at the document's first line; sparc-mesh at the field it is about.
        const line = message.reference && !FIELD_LINED_HERE.has(message.code)
          ? Number(message.reference.split(':').at(-1))
          : undefined;
        return {name, message, reported: same.length > 0,
          sameLine: line === undefined || same.some((finding) => finding.line === line),
          ours: same.map((finding) => finding.line)};
      });
    });
    const all = compared.flat();
    const reported = all.filter((entry) => entry.reported);
    const sameLine = reported.filter((entry) => entry.sameLine);
    console.log(`istioctl findings on ${files.length} files: ${all.length}; reported by sparc-mesh: ${reported.length} `
      + `(${(100 * reported.length / all.length).toFixed(1)}%), on istioctl's line: ${sameLine.length}`);
    for (const entry of all.filter((candidate) => !candidate.reported)) {
      console.log(
        `  not reported: ${entry.name} ${entry.message.code} ${entry.message.origin}: ${entry.message.message}`,
      );
    }
    for (const entry of reported.filter((candidate) => !candidate.sameLine)) {
      console.log(
        `  other line: ${entry.name} ${entry.message.code} ${entry.message.origin}: istioctl ${entry.message.reference}, sparc-mesh ${
          entry.ours.join(',')
        }`,
      );
    }
    expect(all.length).toBeGreaterThan(150);
    expect(reported.length / all.length).toBeGreaterThanOrEqual(0.95);
    // istioctl counts a document from a leading comment or `---`, and one line late after an empty document; those differ.
    expect(sameLine.length / reported.length).toBeGreaterThanOrEqual(0.9);
  }, 300_000);
});

/**
 * Where sparc-mesh reports on purpose what istioctl's file mode does not (docs/validate.md,
 * "Agreement with istioctl analyze"): counted and printed apart, and agreements only where
 * istioctl reports them too once the file's objects are in the test cluster.
 */
const DELIBERATE: Record<string, string> = {
  IST0118:
    'a Service in the files whose port names no protocol: istioctl skips the analyser in file mode, as it reads no Service from files',
};

describe("validate and istioctl analyze on Istio's samples/", () => {
  it('reports no IST finding istioctl does not give (precision) and every one it gives (recall), at 95% each',
    async () => {
      const samples = join(pinnedModuleDir('istio'), 'samples');
      const files = yamlFilesUnder(samples);
      const compared = await inBatches(files, 4, async (path) => {
        const theirs = await istioctlAnalyze(path);
        if (theirs === undefined) return undefined;
        const ours = (await ourFindings(path)).filter((finding) => finding.code.startsWith('IST'));
        return {path, name: path.slice(samples.length + 1), theirs, ours};
      });
      const judged = compared.filter((entry) => entry !== undefined);
      const keyOf = (code: string, kind: string, name: string) => `${code} ${kind} ${name}`;
      let agreed = 0;
      let theirCount = 0;
      let ourCount = 0;
      const extra: string[] = [];
      const deliberate: {path: string; line: string; finding: OurFinding}[] = [];
      const missed: string[] = [];
      for (const {path, name, theirs, ours} of judged) {
        const remaining = theirs.map((message) => {
          const origin = originOf(message.origin);
          return keyOf(message.code, origin.kind, origin.name);
        });
        theirCount += remaining.length;
        ourCount += ours.length;
        for (const finding of ours) {
          const index = remaining.indexOf(
            keyOf(finding.code, finding.resource?.kind ?? '', finding.resource?.name ?? ''),
          );
          if (index !== -1) {
            remaining.splice(index, 1);
            agreed++;
            continue;
          }
          const line = `${name}:${finding.line ?? ''} ${finding.code} ${finding.resource?.kind ?? ''} ${
            finding.resource?.name ?? ''
          }`;
          if (DELIBERATE[finding.code]) deliberate.push({path, line, finding});
          else extra.push(line);
        }
        missed.push(...remaining.map((key) => `${name} ${key}`));
      }
      const confirmed = await confirmedOnCluster(deliberate);
      for (const entry of deliberate.filter((candidate) => !confirmed.has(candidate))) extra.push(entry.line);
      const precision = (agreed + confirmed.size) / Math.max(ourCount, 1);
      const recall = agreed / Math.max(theirCount, 1);
      console.log(
        `samples/: ${judged.length} of ${files.length} files taken by istioctl; IST findings: istioctl ${theirCount}, sparc-mesh ${ourCount}, `
          + `the same ${agreed}; deliberate differences ${deliberate.length}, ${confirmed.size} of them given by istioctl on the cluster; precision ${
            (100 * precision).toFixed(1)
          }% `
          + `(${(100 * agreed / Math.max(ourCount, 1)).toFixed(1)}% counting the deliberate ones against it), recall ${
            (100 * recall).toFixed(1)
          }%`,
      );
      for (const line of extra) console.log(`  sparc-mesh only: ${line}`);
      for (const entry of confirmed) {
        console.log(
          `  sparc-mesh only, deliberate, istioctl gives it on the cluster: ${entry.line} (${
            DELIBERATE[entry.finding.code]
          })`,
        );
      }
      for (const line of missed) console.log(`  istioctl only: ${line}`);
      expect(judged.length).toBeGreaterThan(100);
      expect(theirCount).toBeGreaterThan(20);
      expect(precision).toBeGreaterThanOrEqual(0.95);
      expect(recall).toBeGreaterThanOrEqual(0.95);
    }, 600_000);
});

/** The deliberate differences that istioctl, reading the file's objects from the test cluster, reports too. */
async function confirmedOnCluster<T extends {path: string; finding: OurFinding}>(entries: T[]): Promise<Set<T>> {
  const confirmed = new Set<T>();
  for (const path of new Set(entries.map((entry) => entry.path))) {
    const inFile = entries.filter((entry) => entry.path === path);
    const namespaces = [...new Set(inFile.map((entry) => entry.finding.resource?.namespace ?? 'default'))];
    const onCluster = await withApplied([path], namespaces, () => istioctlOnCluster(['-A']));
    const theirs = keysOf(onCluster.map((message) => ({code: message.code, ...originOf(message.origin)})));
    for (const entry of inFile) {
      // A file's object without a namespace is applied to `default`.
      const {kind, namespace, name} = entry.finding.resource!;
      const [key] = keysOf([{code: entry.finding.code, kind, namespace: namespace ?? 'default', name}]);
      const index = theirs.indexOf(key!);
      if (index === -1) continue;
      theirs.splice(index, 1);
      confirmed.add(entry);
    }
  }
  return confirmed;
}
