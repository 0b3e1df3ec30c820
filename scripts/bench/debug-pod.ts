// Benchmark of `sparc-mesh debug pod` on a test cluster holding the 1,000-service corpus of
// the validate benchmark (validate-corpus.ts: 20 team namespaces of 50 services), against
// the kubectl gets that answer the same question by hand, run one after another, in the
// same run. Not a test: it prints numbers and never fails on them.
//
//   node --import tsx scripts/bench/debug-pod.ts [--runs 5] [--cli bin/run.js]...
//
// Each --cli (another build's bin/run.js, to compare two builds in one run) is timed in turn
// in every round, beside the kubectl gets.
// Starts its own test cluster (test/cluster) unless SPARC_MESH_KUBECONFIG names one, and
// needs the built CLI (`npm run build`). The corpus's 2,000 pods need more room than the test
// cluster's three kwok nodes give (250 pods each), so the bench adds nodes and times only
// once every pod runs: a cluster with pods the scheduler keeps retrying is busy, not big.
// Wall time depends on the machine's load (printed); CPU time of each process is steadier.
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import {loadavg, tmpdir} from 'node:os';
import {join, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {startCluster, stopCluster} from '../../test/cluster/cluster.js';
import {testbinPath} from '../../test/cluster/testbin.js';
import {ensureIstioCrds} from '../../test/e2e/istio-crds.js';
import {writeCorpus} from './validate-corpus.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const NAMESPACE = 'team-07';
const SERVICE = 'svc-0007';

/** Pods one kwok node takes (its default capacity). */
const PODS_PER_NODE = 250;

/** CPU time (user + system, ms) of the finished children, from /proc (Linux, 100 ticks a second); NaN elsewhere. */
function childrenCpuMs(): number {
  try {
    // After "pid (command) " the fields start at the 3rd; cutime and cstime are the 16th and 17th.
    const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return Number.NaN;
  }
}

interface Timing {
  wallMs: number;
  cpuMs: number;
}

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Timing {
  const started = process.hrtime.bigint();
  const cpu = childrenCpuMs();
  const result = spawnSync(command, args, {cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe']});
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return {wallMs, cpuMs: childrenCpuMs() - cpu};
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const sum = (timings: Timing[]): Timing => ({wallMs: timings.reduce((total, timing) => total + timing.wallMs, 0),
  cpuMs: timings.reduce((total, timing) => total + timing.cpuMs, 0)});
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

/** kwok nodes beside the test cluster's, enough for every pod of the corpus. */
function extraNodes(pods: number): string {
  const count = Math.ceil(pods / PODS_PER_NODE);
  const items = Array.from({length: count}, (_, index) => ({apiVersion: 'v1', kind: 'Node', metadata: {
    name: `kwok-bench-node-${index}`,
    annotations: {'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0'},
    labels: {'kubernetes.io/hostname': `kwok-bench-node-${index}`, 'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64', type: 'kwok'},
  }}));
  return JSON.stringify({apiVersion: 'v1', kind: 'List', items});
}

/** What an on-call engineer runs by hand for the same report: the pod, its events, the policy and traffic objects. */
function kubectlGets(pod: string): string[][] {
  return [
    ['get', 'pod', pod, '-n', NAMESPACE, '-o', 'json'],
    ['get', 'events', '-n', NAMESPACE, '--field-selector', `involvedObject.name=${pod}`, '-o', 'json'],
    ['get', 'namespace', NAMESPACE, '-o', 'json'],
    ['get', 'services,networkpolicies,peerauthentications,authorizationpolicies,destinationrules,virtualservices', '-n',
      NAMESPACE, '-o', 'json'],
    ['get', 'peerauthentications,authorizationpolicies', '-n', 'istio-system', '-o', 'json'],
    ['get', 'pods', '-A', '-l', 'app=istiod', '-o', 'json'],
  ];
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {runs: {type: 'string', default: '5'}, cli: {type: 'string', multiple: true, default: ['bin/run.js']}},
  });
  const runs = Number(values.runs);
  const state = process.env.SPARC_MESH_KUBECONFIG ? undefined : await startCluster({log: (line) => console.log(line)});
  const kubeconfig = process.env.SPARC_MESH_KUBECONFIG ?? state?.kubeconfig ?? '';
  const env = {...process.env, KUBECONFIG: kubeconfig, CI: 'true'};
  const kubectl = testbinPath('kubectl');
  const corpus = await mkdtemp(join(tmpdir(), 'sparc-mesh-bench-'));
  try {
    await ensureIstioCrds(kubeconfig);
    spawnSync(kubectl, ['create', 'namespace', 'istio-system'], {env});
    const stats = await writeCorpus(corpus, 1000);
    spawnSync(kubectl, ['apply', '-f', '-'], {env, input: extraNodes(stats.services * 2)});
    console.log(`applying ${stats.objects} objects of ${stats.services} services ...`);
    timed(kubectl, ['apply', '--server-side', '--force-conflicts', '--field-manager=sparc-mesh-bench', '-R', '-f',
      corpus], env);
    timed(kubectl, ['wait', '--for=condition=Ready', 'pod', '--all', '-A', '--timeout=900s'], env);
    const pods = spawnSync(kubectl, ['get', 'pods', '-A', '--no-headers'], {env, encoding: 'utf8'}).stdout;
    console.log(`cluster holds ${pods.trim().split('\n').length} pods`);
    const pod =
      spawnSync(kubectl, ['get', 'pods', '-n', NAMESPACE, '-l', `app=${SERVICE}`, '-o',
        'jsonpath={.items[0].metadata.name}'], {env, encoding: 'utf8'}).stdout;
    const command = (
      cli: string,
    ) => [resolve(repo, cli), 'debug', 'pod', `deploy/${SERVICE}`, '-n', NAMESPACE, '-o', 'json'];
    const sparc = new Map(values.cli.map((cli) => [cli, [] as Timing[]]));
    const byHand: Timing[] = [];
    for (const cli of values.cli) timed(process.execPath, command(cli), env);
    console.log(`load average before: ${load()}`);
    for (let run = 0; run < runs; run++) {
      for (const [cli, timings] of sparc) timings.push(timed(process.execPath, command(cli), env));
      byHand.push(sum(kubectlGets(pod).map((args) => timed(kubectl, args, env))));
    }
    console.log(`load average after: ${load()}`);
    const middle = (timings: Timing[]): Timing => ({wallMs: median(timings.map(({wallMs}) => wallMs)),
      cpuMs: median(timings.map(({cpuMs}) => cpuMs))});
    const shown = ({wallMs, cpuMs}: Timing) => `${wallMs.toFixed(0)} ms (CPU ${cpuMs.toFixed(0)} ms)`;
    const theirs = middle(byHand);
    console.log(
      `the same by hand, ${kubectlGets(pod).length} kubectl gets one after another: ${
        shown(theirs)
      }, median of ${runs}`,
    );
    for (const [cli, timings] of sparc) {
      const ours = middle(timings);
      console.log(
        `${cli} debug pod deploy/${SERVICE} -n ${NAMESPACE}: ${shown(ours)}, median of ${runs}; ratio ${
          (ours.wallMs / theirs.wallMs).toFixed(2)
        }; target ≤ 1500 ms: ${ours.wallMs <= 1500 ? 'met' : 'NOT met'}`,
      );
    }
  } finally {
    await rm(corpus, {recursive: true, force: true});
    if (state) await stopCluster(state, {keepLogs: false});
  }
}

await main();
