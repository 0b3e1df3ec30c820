// Onboarding against a real cluster, Istio and Linkerd alike, as ratios to `kubectl apply
// --server-side -f` of the same rendered objects, timed in the same run. Two cases per mesh:
//   - into a cluster that already holds 1,000 onboarded services (target ≤ 1.3×): one service
//     at a time, its first onboarding and then again (nothing to change);
//   - 100 services onboarded 4 at a time, each into a fresh namespace per repetition (target ≤ 1.0×).
// Reported, never asserted. The machine may be shared: samples are interleaved and medians shown.
//
//   node --import tsx scripts/bench/onboard.ts   # npm run bench runs it too
//
// Needs dist/ (npm run build) and the test binaries. It starts a test cluster of its own and
// stops it at the end (a cluster filled with 2,000 services is no cluster to share), or uses
// the one SPARC_MESH_KUBECONFIG names. Linkerd's cases need ../shared/charts (its CRDs).
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import yaml from 'js-yaml';
import {templateSource} from '../../src/adapters/files/templates.js';
import {DEFAULT_PLATFORM} from '../../src/core/config/platform.js';
import type {SpecIssue} from '../../src/core/config/reader.js';
import {resolveService} from '../../src/core/config/service.js';
import type {Mesh} from '../../src/core/config/types.js';
import {LINKERD_RELEASE} from '../../src/core/install/linkerd-install.js';
import type {KubeObject} from '../../src/core/objects.js';
import {renderService} from '../../src/core/render/pipeline.js';
import {startCluster, stopCluster, type ClusterState} from '../../test/cluster/cluster.js';
import {kubeconfigEnv, testbinPath} from '../../test/cluster/testbin.js';
import {goPin} from '../../test/cluster/versions.js';
import {ensureIstioCrds} from '../../test/e2e/istio-crds.js';
import {moduleDir} from '../schemas/go.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CHARTS = join(REPO, '..', 'shared', 'charts');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const FILL = Number(process.env.BENCH_FILL ?? 1000);
const FILL_NAMESPACES = 10;
const MANY = Number(process.env.BENCH_SERVICES ?? 100);
const MANY_REPEATS = Number(process.env.BENCH_MANY_REPEATS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const MESHES = (process.env.BENCH_MESHES ?? 'istio,linkerd').split(',');
const kubectlBin = testbinPath('kubectl');
const cli = join(REPO, 'bin/run.js');
const work = mkdtempSync(join(tmpdir(), 'sparc-bench-'));

/** Wall time of one process, in ms; fails loudly, since a failed run is not a measurement. */
function timed(command: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, {cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'],
      env: {...process.env, CI: 'true'}});
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`));
      else resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function pool<T>(items: readonly T[], limit: number, job: (item: T) => Promise<unknown>): Promise<number> {
  const started = Date.now();
  let next = 0;
  await Promise.all(Array.from({length: limit}, async () => {
    while (next < items.length) await job(items[next++]!);
  }));
  return Date.now() - started;
}

class Bench {
  constructor(private readonly kubeconfig: string, private readonly mesh: Mesh) {}

  private renderArgs(service: string, namespace: string): string[] {
    return ['onboard', '-s', service, '-n', namespace, '-m', this.mesh, '--allow-from', 'web'];
  }

  /** The objects onboarding renders, written for kubectl (rendering is not part of kubectl's time). */
  async rendered(service: string, namespace: string): Promise<string> {
    const file = join(work, `${this.mesh}-${namespace}-${service}.yaml`);
    const {stdout} = await execa(process.execPath, [cli, ...this.renderArgs(service, namespace), '--dry-run']);
    writeFileSync(file, stdout);
    return file;
  }

  kubectlApply = (file: string) =>
    timed(kubectlBin, ['apply', '--server-side', '--field-manager=sparc-mesh', '-f', file, '--kubeconfig',
      this.kubeconfig]);

  onboard = (service: string, namespace: string) =>
    timed(process.execPath, [cli, ...this.renderArgs(service, namespace), '--no-wait', '--kubeconfig',
      this.kubeconfig]);

  /** FILL services rendered in-process (as onboard renders them) and applied 100 to a file, CONCURRENCY files at a time. */
  async fill(): Promise<void> {
    const source = templateSource(undefined);
    const files: string[] = [];
    for (let start = 0; start < FILL; start += 100) {
      const objects = new Map<string, KubeObject>();
      for (let index = start; index < Math.min(start + 100, FILL); index++) {
        const issues: SpecIssue[] = [];
        const spec = resolveService({name: `filled-${index}`, callers: ['web']}, {mesh: this.mesh,
          defaultNamespace: this.fillNamespace(index), platformJwt: DEFAULT_PLATFORM.jwt}, issues);
        if (!spec || issues.length) throw new Error(`filled-${index}: ${JSON.stringify(issues)}`);
        for (const object of renderService(source, DEFAULT_PLATFORM, spec).objects) {
          objects.set(`${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`, object);
        }
      }
      const file = join(work, `${this.mesh}-fill-${start}.yaml`);
      writeFileSync(file, [...objects.values()].map((object) => yaml.dump(object)).join('---\n'));
      files.push(file);
    }
    await pool(files, CONCURRENCY, this.kubectlApply);
  }

  fillNamespace = (index: number) => `sparc-bench-${this.mesh}-fill-${index % FILL_NAMESPACES}`;
}

function ratioLine(name: string, sparc: number, kubectl: number, target: number, unit: 'ms' | 's'): string {
  const ratio = sparc / kubectl;
  const show = (ms: number) => (unit === 's' ? `${(ms / 1000).toFixed(1)} s` : `${ms.toFixed(0)} ms`);
  return `${name}: sparc-mesh ${show(sparc)}, kubectl ${show(kubectl)}, ratio ${
    ratio.toFixed(2)
  }× (target ≤ ${target}×: ${ratio <= target ? 'met' : 'MISSED'})`;
}

async function grownCluster(bench: Bench, mesh: Mesh): Promise<void> {
  const namespace = bench.fillNamespace(0);
  const first = {kubectl: [] as number[], sparc: [] as number[]};
  const again = {kubectl: [] as number[], sparc: [] as number[]};
  for (let run = 0; run <= RUNS; run++) {
    const file = await bench.rendered(`probe-k${run}`, namespace);
    // Interleaved, so that a change in machine load hits both alike; run 0 warms caches.
    const samples = [await bench.kubectlApply(file), await bench.onboard(`probe-s${run}`, namespace),
      await bench.kubectlApply(file), await bench.onboard(`probe-s${run}`, namespace)];
    if (run === 0) continue;
    first.kubectl.push(samples[0]!);
    first.sparc.push(samples[1]!);
    again.kubectl.push(samples[2]!);
    again.sparc.push(samples[3]!);
  }
  console.log(`${mesh}: one service into a cluster holding ${FILL} onboarded ${mesh} services, median of ${RUNS}:`);
  console.log(ratioLine('  first onboarding', median(first.sparc), median(first.kubectl), 1.3, 'ms'));
  console.log(ratioLine('  again, nothing to change', median(again.sparc), median(again.kubectl), 1.3, 'ms'));
}

async function manyServices(bench: Bench, mesh: Mesh): Promise<void> {
  const services = Array.from({length: MANY}, (_, index) => `svc-${index}`);
  const ratios: number[] = [];
  const times = {kubectl: [] as number[], sparc: [] as number[]};
  for (let repeat = 0; repeat < MANY_REPEATS; repeat++) {
    const files: string[] = [];
    await pool(services, CONCURRENCY,
      async (service) => files.push(await bench.rendered(service, `sparc-bench-${mesh}-many-k${repeat}`)));
    const kubectl = await pool(files, CONCURRENCY, bench.kubectlApply);
    const sparc = await pool(services, CONCURRENCY,
      (service) => bench.onboard(service, `sparc-bench-${mesh}-many-s${repeat}`));
    times.kubectl.push(kubectl);
    times.sparc.push(sparc);
    ratios.push(sparc / kubectl);
  }
  console.log(
    `${
      ratioLine(`${mesh}: ${MANY} services, ${CONCURRENCY} at a time, median of ${MANY_REPEATS}`, median(times.sparc),
        median(times.kubectl), 1.0, 's')
    } (each repetition: ${ratios.map((ratio) => `${ratio.toFixed(2)}×`).join(', ')})`,
  );
}

/** Linkerd's CRDs (and the Gateway API ones its routes build on), as `install linkerd` would leave them; false when the charts are not here. */
async function ensureLinkerdCrds(kubeconfig: string): Promise<boolean> {
  const chart = join(CHARTS, `${LINKERD_RELEASE.crdsChart}-${LINKERD_RELEASE.chartVersion}.tgz`);
  if (!existsSync(chart)) return false;
  const apply = (args: string[], input?: string) =>
    execa(kubectlBin, ['--kubeconfig', kubeconfig, 'apply', '--server-side', '--force-conflicts', ...args], {input});
  const gatewayApi = goPin('gatewayApi');
  await apply(['-f', join(moduleDir(gatewayApi.module, gatewayApi.version), 'config/crd/standard')]);
  const {stdout} = await execa(testbinPath('helm'), ['template', LINKERD_RELEASE.crdsChart, chart, '--namespace',
    'linkerd']);
  await apply(['-f', '-'], stdout);
  await execa(kubectlBin, ['--kubeconfig', kubeconfig, 'wait', '--for=condition=Established', 'crd', '--all',
    '--timeout=120s']);
  return true;
}

/** On a cluster the bench did not start: its namespaces go at the end. */
async function removeNamespaces(kubeconfig: string): Promise<void> {
  const namespaces =
    (await execa(kubectlBin, ['get', 'namespaces', '-o', 'name', '--kubeconfig', kubeconfig], {reject: false})).stdout
      .split('\n').filter((name) => name.startsWith('namespace/sparc-bench-'));
  if (namespaces.length) {
    await execa(kubectlBin, ['delete', ...namespaces, '--wait=false', '--kubeconfig', kubeconfig], {reject: false});
  }
}

async function main(): Promise<void> {
  if (!existsSync(join(REPO, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const given = process.env[kubeconfigEnv];
  const cluster: ClusterState | undefined = given ? undefined : await startCluster({log: () => undefined});
  const kubeconfig = given ?? cluster!.kubeconfig;
  try {
    if (MESHES.includes('istio')) await ensureIstioCrds(kubeconfig);
    const meshes: Mesh[] = [];
    if (MESHES.includes('istio')) meshes.push('istio');
    if (MESHES.includes('linkerd')) {
      if (await ensureLinkerdCrds(kubeconfig)) meshes.push('linkerd');
      else console.log(`linkerd: skipped (${CHARTS} has no ${LINKERD_RELEASE.crdsChart} chart)`);
    }
    for (const mesh of meshes) {
      const bench = new Bench(kubeconfig, mesh);
      const started = Date.now();
      await bench.fill();
      console.log(
        `${mesh}: ${FILL} services onboarded into ${FILL_NAMESPACES} namespaces by kubectl in ${
          ((Date.now() - started) / 1000).toFixed(0)
        } s`,
      );
      await grownCluster(bench, mesh);
      await manyServices(bench, mesh);
    }
  } finally {
    if (cluster) await stopCluster(cluster);
    else await removeNamespaces(kubeconfig);
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
