// `npm run bench`: wall-clock figures as ratios to baselines timed in the same run
// (node -e 0, and kubectl / istioctl from the test harness when they are built), so that
// a busy machine slows both sides alike. Benchmarks are reported, never asserted.
import {spawnSync} from 'node:child_process';
import {existsSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {testbinPath} from '../../test/cluster/testbin.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const CLI = ['bin/run.js'];

interface Case {
  name: string;
  command: string[];
  /** Target as a ratio to `node -e 0`, from the issues. */
  target?: number;
}

function timeOnce(command: string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command[0]!, command.slice(1), {cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'],
    env: {...process.env, CI: 'true'}});
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command.join(' ')} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function optionalTool(tool: 'kubectl' | 'istioctl'): string | undefined {
  const path = testbinPath(tool);
  return existsSync(path) ? path : undefined;
}

const node = process.execPath;
const cases: Case[] = [
  {name: 'node -e 0 (baseline)', command: [node, '-e', '0']},
  {name: 'sparc-mesh --version', command: [node, ...CLI, '--version'], target: 1.5},
  {name: 'sparc-mesh onboard ... --dry-run',
    command: [node, ...CLI, 'onboard', '-s', 'new-service', '-n', 'sparc', '-m', 'istio', '--enable-canary',
      '--dry-run'], target: 1.8},
  {name: 'sparc-mesh --help', command: [node, ...CLI, '--help']},
  {name: 'sparc-mesh install istio --dry-run',
    command: [node, ...CLI, 'install', 'istio', '--dry-run', '--config', 'examples/sparc-mesh.yaml']},
];
const kubectl = optionalTool('kubectl');
if (kubectl) cases.push({name: 'kubectl version --client (baseline)', command: [kubectl, 'version', '--client']});

// Interleave the cases so that a change in machine load hits all of them alike.
const samples = new Map<string, number[]>(cases.map((c) => [c.name, []]));
for (const c of cases) timeOnce(c.command); // warm the file cache
for (let run = 0; run < RUNS; run++) {
  for (const c of cases) samples.get(c.name)!.push(timeOnce(c.command));
}
const baseline = median(samples.get(cases[0]!.name)!);
console.log(`wall time, median of ${RUNS} runs; ratio to node -e 0 (${baseline.toFixed(0)} ms)`);
for (const c of cases) {
  const ms = median(samples.get(c.name)!);
  const ratio = ms / baseline;
  const verdict = c.target === undefined
    ? ''
    : ratio <= c.target
    ? `  target ≤ ${c.target}× met`
    : `  target ≤ ${c.target}× MISSED`;
  console.log(`${c.name.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms  ${ratio.toFixed(2).padStart(5)}×${verdict}`);
}

// Rendering 1,000 services in one process (target ≤ 1 s), schema checks included.
const render = spawnSync(node, ['--import', 'tsx', 'scripts/bench/render-many.ts'], {cwd: REPO, encoding: 'utf8'});
process.stdout.write(render.stdout);
if (render.status !== 0) process.stderr.write(render.stderr);

if (existsSync(new URL('./validate.ts', import.meta.url))) {
  const validate = spawnSync(node, ['--import', 'tsx', 'scripts/bench/validate.ts'], {cwd: REPO, encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'inherit']});
  if (validate.status !== 0) process.exitCode = 1;
}

// Onboarding against a test cluster of its own, Istio and Linkerd, as ratios to kubectl.
if (kubectl) {
  const onboard = spawnSync(node, ['--import', 'tsx', 'scripts/bench/onboard.ts'], {cwd: REPO,
    stdio: ['ignore', 'inherit', 'inherit']});
  if (onboard.status !== 0) process.exitCode = 1;
}
