// Benchmark of `sparc-mesh debug pod` on a test cluster holding the 1,000-service corpus of
// the validate benchmark (validate-corpus.ts: 20 team namespaces of 50 services), against
// the kubectl gets that answer the same question by hand, run one after another, in the
// same run. Not a test: it prints numbers and never fails on them.
//
//   node --import tsx scripts/bench/debug-pod.ts [--runs 5]
//
// Starts its own test cluster (test/cluster) unless SPARC_MESH_KUBECONFIG names one, and
// needs the built CLI (`npm run build`).
import {spawnSync} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {startCluster, stopCluster} from '../../test/cluster/cluster.js';
import {testbinPath} from '../../test/cluster/testbin.js';
import {ensureIstioCrds} from '../../test/e2e/istio-crds.js';
import {writeCorpus} from './validate-corpus.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const NAMESPACE = 'team-07';
const SERVICE = 'svc-0007';

function timed(command: string, args: string[], env: NodeJS.ProcessEnv): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, {cwd: repo, env, stdio: ['ignore', 'ignore', 'pipe']});
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return ms;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

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
  const {values} = parseArgs({options: {runs: {type: 'string', default: '5'}}});
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
    console.log(`applying ${stats.objects} objects of ${stats.services} services ...`);
    timed(kubectl, ['apply', '--server-side', '--force-conflicts', '--field-manager=sparc-mesh-bench', '-R', '-f',
      corpus], env);
    timed(kubectl, ['wait', '--for=condition=Ready', 'pod', '-l', `app=${SERVICE}`, '-n', NAMESPACE, '--timeout=300s'],
      env);
    const pods = spawnSync(kubectl, ['get', 'pods', '-A', '--no-headers'], {env, encoding: 'utf8'}).stdout;
    console.log(`cluster holds ${pods.trim().split('\n').length} pods`);
    const pod =
      spawnSync(kubectl, ['get', 'pods', '-n', NAMESPACE, '-l', `app=${SERVICE}`, '-o',
        'jsonpath={.items[0].metadata.name}'], {env, encoding: 'utf8'}).stdout;
    const cli = [process.execPath, join(repo, 'bin/run.js'), 'debug', 'pod', `deploy/${SERVICE}`, '-n', NAMESPACE, '-o',
      'json'];
    const sparc: number[] = [];
    const byHand: number[] = [];
    timed(cli[0]!, cli.slice(1), env);
    for (let run = 0; run < runs; run++) {
      sparc.push(timed(cli[0]!, cli.slice(1), env));
      byHand.push(kubectlGets(pod).reduce((total, args) => total + timed(kubectl, args, env), 0));
    }
    const ours = median(sparc);
    const theirs = median(byHand);
    console.log(`sparc-mesh debug pod deploy/${SERVICE} -n ${NAMESPACE}: ${ours.toFixed(0)} ms (median of ${runs})`);
    console.log(`the same by hand, ${kubectlGets(pod).length} kubectl gets one after another: ${theirs.toFixed(0)} ms`);
    console.log(`ratio ${(ours / theirs).toFixed(2)}; target ≤ 1500 ms: ${ours <= 1500 ? 'met' : 'NOT met'}`);
  } finally {
    await rm(corpus, {recursive: true, force: true});
    if (state) await stopCluster(state, {keepLogs: false});
  }
}

await main();
