// Benchmark of `sparc-mesh validate` against `istioctl analyze --use-kube=false` on the
// same generated corpus, in the same run: wall time (median of N runs) and peak resident
// memory, with ratios. Not a test: it prints numbers and never fails on them.
//
//   node --import tsx scripts/bench/validate.ts [--services 1000] [--runs 3] [--live] [--cli bin/run.js]
//
// Needs the built CLI (`npm run build`, or another build's bin/run.js with --cli); istioctl comes from the test harness cache
// (`npm run testbin`) and is reported as unavailable when it is not built. `--live` also
// applies the corpus to the running test cluster (`npm run cluster:up`) and times
// `sparc-mesh validate -A` against it.
import {spawn} from 'node:child_process';
import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {writeCorpus} from './validate-corpus.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const MiB = 1024 * 1024;

interface Measurement {
  wallMs: number;
  peakRssBytes: number;
  exitCode: number;
  stdoutBytes: number;
  stdout: string;
  stderrTail: string;
}

async function peakRss(pid: number): Promise<number | undefined> {
  // VmHWM is the process's peak resident set so far; it only grows, so the last read is the peak seen.
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) * 1024 : undefined;
}

/** Runs a command (no shell), sampling its peak RSS from /proc every few milliseconds. */
function measure(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, {cwd: repo, env, stdio: ['ignore', 'pipe', 'pipe']});
    let peak = 0;
    const stdout: Buffer[] = [];
    let stderr = '';
    const sample = async () => {
      if (child.pid === undefined) return;
      peak = Math.max(peak, (await peakRss(child.pid)) ?? 0);
    };
    const timer = setInterval(() => void sample(), 5);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('error', (error) => {
      clearInterval(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      const text = Buffer.concat(stdout).toString('utf8');
      resolve({wallMs: performance.now() - started, peakRssBytes: peak, exitCode: code ?? -1,
        stdoutBytes: Buffer.byteLength(text), stdout: text,
        stderrTail: stderr.trim().split('\n').slice(-3).join('\n')});
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Timed {
  label: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

async function repeat(label: string, runs: number, command: string, args: string[],
  env?: NodeJS.ProcessEnv): Promise<Measurement>
{
  const [summary] = await alternate(runs, [{label, command, args, env}]);
  return summary!;
}

/** Each command `runs` times, taking turns, so that a change in the machine's load hits every command alike. */
async function alternate(runs: number, commands: Timed[]): Promise<Measurement[]> {
  const results: Measurement[][] = commands.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (const [i, {command, args, env}] of commands.entries()) results[i]!.push(await measure(command, args, env));
  }
  return commands.map(({label}, i) => summarised(label, results[i]!));
}

function summarised(label: string, results: Measurement[]): Measurement {
  const summary = {...results[0] as Measurement, wallMs: median(results.map((result) => result.wallMs)),
    peakRssBytes: Math.max(...results.map((result) => result.peakRssBytes))};
  console.log(
    `${label.padEnd(50)} ${(summary.wallMs / 1000).toFixed(2).padStart(7)} s  ${
      (summary.peakRssBytes / MiB).toFixed(0).padStart(5)
    } MiB  exit ${summary.exitCode}  (median of ${results.length}, output ${summary.stdoutBytes} bytes)`,
  );
  if (![0, 3].includes(summary.exitCode)) console.log(`  stderr: ${summary.stderrTail}`);
  return summary;
}

/** `IST0101 20, SM1010 20` from a run's JSON output, so that the two tools' verdicts can be compared at a glance. */
function codeCounts(stdout: string, findingsOf: (json: unknown) => {code: string}[]): string {
  let findings: {code: string}[];
  try {
    findings = findingsOf(JSON.parse(stdout));
  } catch {
    return '(no JSON output)';
  }
  const counts = new Map<string, number>();
  for (const {code} of findings) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([code, count]) => `${code} ${count}`).join(', ')
    || 'none';
}

async function istioctlPath(): Promise<string | undefined> {
  try {
    const {testbinPath} = await import('../../test/cluster/testbin.js');
    const path = testbinPath('istioctl');
    return existsSync(path) ? path : undefined;
  } catch {
    return undefined;
  }
}

async function kubeconfigPath(): Promise<string | undefined> {
  const candidates = [process.env.SPARC_MESH_KUBECONFIG, join(repo, '.sparc-mesh-test/kubeconfig')];
  return candidates.find((candidate) => candidate && existsSync(candidate));
}

async function benchLive(corpus: string, cli: string[], runs: number): Promise<void> {
  const kubeconfig = await kubeconfigPath();
  const {testbinPath} = await import('../../test/cluster/testbin.js');
  const kubectl = testbinPath('kubectl');
  if (!kubeconfig || !existsSync(kubectl)) {
    console.log('live: no test cluster running (npm run cluster:up) or kubectl not built; skipped');
    return;
  }
  const env = {...process.env, KUBECONFIG: kubeconfig};
  // The corpus holds Istio objects: the cluster needs Istio's CRDs before they can be applied.
  const {ensureIstioCrds} = await import('../../test/e2e/istio-crds.js');
  await ensureIstioCrds(kubeconfig);
  // The shared Gateway lives in istio-system, which a test cluster without Istio lacks (an existing one is fine).
  await measure(kubectl, ['create', 'namespace', 'istio-system'], env);
  console.log(`live: applying the corpus to the test cluster (${kubeconfig}) ...`);
  const applied = await measure(kubectl, ['apply', '--server-side', '--force-conflicts',
    '--field-manager=sparc-mesh-bench', '-R', '-f', corpus], env);
  if (applied.exitCode !== 0) {
    console.log(`live: kubectl apply failed (exit ${applied.exitCode}): ${applied.stderrTail}; skipped`);
    return;
  }
  console.log(`live: applied in ${(applied.wallMs / 1000).toFixed(1)} s`);
  const live = await repeat('sparc-mesh validate -A (live cluster)', runs, process.execPath, [...cli, '-A', '-o',
    'json', '--fail-on', 'none'], env);
  console.log(`live target ≤ 5 s: ${live.wallMs <= 5000 ? 'met' : 'NOT met'}`);
}

function printTargets(ours: Measurement): void {
  console.log(
    `targets: wall ≤ 1.5 s ${ours.wallMs <= 1500 ? 'met' : 'NOT met'}, peak ≤ 300 MiB ${
      ours.peakRssBytes <= 300 * MiB ? 'met' : 'NOT met'
    }`,
  );
}

async function main(): Promise<void> {
  const {values} = parseArgs({options: {
    services: {type: 'string', default: '1000'},
    // `BENCH_RUNS=5 npm run bench` sets it for every benchmark.
    runs: {type: 'string', default: process.env.BENCH_RUNS ?? '3'},
    live: {type: 'boolean', default: false},
    cli: {type: 'string', default: join(repo, 'bin/run.js')},
  }});
  const services = Number(values.services);
  const runs = Number(values.runs);
  const cliEntry = values.cli;
  if (!existsSync(join(cliEntry, '../../dist/index.js'))) {
    throw new Error(`the CLI of ${cliEntry} is not built: run \`npm run build\` first`);
  }

  const dir = await mkdtemp(join(tmpdir(), 'sparc-mesh-bench-validate-'));
  try {
    const corpus = await writeCorpus(dir, services);
    console.log(`corpus: ${corpus.services} services, ${corpus.objects} objects in ${corpus.files} files (${dir})`);
    const cli = [cliEntry, 'validate', dir];
    const validate: Timed = {label: 'sparc-mesh validate DIR -o json', command: process.execPath,
      args: [...cli, '-o', 'json']};
    const istioctl = await istioctlPath();
    if (istioctl) {
      // Folders are read recursively (istioctl removed its -R flag, which now fails the run).
      // -A: without it istioctl reports only the default namespace's findings, and the corpus has none there.
      const [ours, theirs] = await alternate(runs, [validate, {
        label: 'istioctl analyze --use-kube=false -A DIR -o json',
        command: istioctl,
        args: ['analyze', '--use-kube=false', '-A', dir, '-o', 'json'],
      }]) as [Measurement, Measurement];
      console.log(
        `findings by code: sparc-mesh ${
          codeCounts(ours.stdout, (json) => (json as {findings: {code: string}[]}).findings)
        }`,
      );
      console.log(`                  istioctl   ${codeCounts(theirs.stdout, (json) => json as {code: string}[])}`);
      // istioctl's file mode skips the analysers that read Services: a missing host (IST0101) is one of them.
      console.log('                  (docs/validate.md, "Agreement with istioctl analyze", says why IST0101 differs)');
      const speedUp = theirs.wallMs / ours.wallMs;
      console.log(
        `speed-up vs istioctl: ${speedUp.toFixed(2)}× (target ≥ 1.8×: ${speedUp >= 1.8 ? 'met' : 'NOT met'})`,
      );
      console.log(`memory vs istioctl: ${(ours.peakRssBytes / theirs.peakRssBytes).toFixed(2)}×`);
      printTargets(ours);
    } else {
      console.log('istioctl: not available (build it with `npm run testbin`); no ratio');
      printTargets(await repeat(validate.label, runs, validate.command, validate.args));
    }
    if (values.live) await benchLive(dir, [cliEntry, 'validate'], runs);
  } finally {
    await rm(dir, {recursive: true, force: true});
  }
}

await main();
