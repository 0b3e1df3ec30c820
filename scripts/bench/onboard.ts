// Onboarding against a real cluster, as a ratio to `kubectl apply --server-side -f` of the same
// rendered objects, timed in the same run (the target: ≤ 1.3×). Then 100 services with
// bounded concurrency, both ways. Reported, never asserted.
//
//   npm run cluster:up        # or SPARC_MESH_KUBECONFIG=... for another test cluster
//   node --import tsx scripts/bench/onboard.ts
//
// Needs dist/ (npm run build). Each sample onboards a fresh service into a fresh namespace
// (a first onboarding), then repeats it (the steady state: nothing to change). Namespaces are
// named sparc-bench-*; they are deleted at the end.
import {spawn} from 'node:child_process';
import {existsSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {sharedKubeconfig} from '../../test/cluster/state.js';
import {kubeconfigEnv, testbinPath} from '../../test/cluster/testbin.js';
import {ensureIstioCrds} from '../../test/e2e/istio-crds.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const MANY = Number(process.env.BENCH_SERVICES ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const kubeconfig = process.env[kubeconfigEnv] ?? sharedKubeconfig;
const kubectl = testbinPath('kubectl');
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

const onboardArgs = (service: string,
  namespace: string) => ['onboard', '-s', service, '-n', namespace, '-m', 'istio', '--allow-from', 'web', '--no-wait',
  '--kubeconfig', kubeconfig];

/** The objects onboarding renders, written for kubectl (rendering is not part of kubectl's time). */
async function rendered(service: string, namespace: string): Promise<string> {
  const file = join(work, `${namespace}-${service}.yaml`);
  const {stdout} = await execa(process.execPath, [cli,
    ...onboardArgs(service, namespace).filter((arg) => arg !== '--no-wait'), '--dry-run']);
  writeFileSync(file, stdout);
  return file;
}

const kubectlApply = (file: string) =>
  timed(kubectl, ['apply', '--server-side', '--field-manager=sparc-mesh', '-f', file, '--kubeconfig', kubeconfig]);
const sparcOnboard = (service: string, namespace: string) =>
  timed(process.execPath, [cli, ...onboardArgs(service, namespace)]);

async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>): Promise<number> {
  const started = Date.now();
  let next = 0;
  await Promise.all(Array.from({length: limit}, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
  return Date.now() - started;
}

async function main(): Promise<void> {
  if (!existsSync(kubeconfig)) throw new Error(`no test cluster: run \`npm run cluster:up\` or set ${kubeconfigEnv}`);
  if (!existsSync(join(REPO, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  await ensureIstioCrds(kubeconfig);
  const first = {kubectl: [] as number[], sparc: [] as number[]};
  const again = {kubectl: [] as number[], sparc: [] as number[]};
  for (let run = 0; run <= RUNS; run++) {
    const file = await rendered('svc', `sparc-bench-k${run}`);
    // Interleaved, so that a change in machine load hits both alike; run 0 warms caches.
    const samples = [await kubectlApply(file), await sparcOnboard('svc', `sparc-bench-s${run}`),
      await kubectlApply(file), await sparcOnboard('svc', `sparc-bench-s${run}`)];
    if (run === 0) continue;
    first.kubectl.push(samples[0]!);
    first.sparc.push(samples[1]!);
    again.kubectl.push(samples[2]!);
    again.sparc.push(samples[3]!);
  }
  const line = (name: string, pair: {kubectl: number[]; sparc: number[]}) => {
    const ratio = median(pair.sparc) / median(pair.kubectl);
    console.log(
      `${name}: sparc-mesh onboard ${median(pair.sparc).toFixed(0)} ms, kubectl apply --server-side ${
        median(pair.kubectl).toFixed(0)
      } ms, ratio ${ratio.toFixed(2)}× (target ≤ 1.3×: ${ratio <= 1.3 ? 'met' : 'MISSED'})`,
    );
  };
  console.log(`one service (13 objects with a caller), median of ${RUNS} runs:`);
  line('  first onboarding', first);
  line('  again, nothing to change', again);

  const services = Array.from({length: MANY}, (_, index) => `svc-${index}`);
  const files: string[] = [];
  await pool(services, CONCURRENCY, async (service) => files.push(await rendered(service, 'sparc-bench-many-k')));
  const kubectlMany = await pool(files, CONCURRENCY, kubectlApply);
  const sparcMany = await pool(services, CONCURRENCY, (service) => sparcOnboard(service, 'sparc-bench-many-s'));
  console.log(
    `${MANY} services into one namespace, ${CONCURRENCY} at a time: sparc-mesh ${
      (sparcMany / 1000).toFixed(1)
    } s, kubectl ${(kubectlMany / 1000).toFixed(1)} s, ratio ${(sparcMany / kubectlMany).toFixed(2)}×`,
  );
}

main()
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(async () => {
    const namespaces =
      (await execa(kubectl, ['get', 'namespaces', '-o', 'name', '--kubeconfig', kubeconfig], {reject: false})).stdout
        .split('\n').filter((name) => name.startsWith('namespace/sparc-bench-'));
    if (namespaces.length) {
      await execa(kubectl, ['delete', ...namespaces, '--wait=false', '--kubeconfig', kubeconfig], {reject: false});
    }
  });
