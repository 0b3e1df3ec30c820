// Not a test (tests never assert on wall time): prints how the workload and policy analysers scale.
//   npx tsx scripts/bench/istio-workload-analyzers.ts [objects]
// Builds a synthetic configuration (20 injected namespaces; per app a Deployment, Pod,
// Service and AuthorizationPolicy), times analyzeIstio with those analysers in CPU time,
// and prints it against a baseline measured in the same run (a structuredClone of the
// objects), so the ratio survives a busy machine better than milliseconds do.
import {analyzeIstio} from '../../src/core/analyze/istio/index.js';
import {analyzersIn, WORKLOAD_DOMAINS} from '../../test/unit/analyze/istio/domains.js';
import type {KubeObject, SourcedObject} from '../../src/core/objects.js';
import {cpuMs} from '../../test/helpers/cpu.js';

const workloadAnalyzers = analyzersIn(WORKLOAD_DOMAINS);

function configuration(size: number): SourcedObject[] {
  const objects: SourcedObject[] = [];
  const add = (object: KubeObject) =>
    objects.push({object, source: {file: 'bench.yaml', line: objects.length + 1, documentIndex: objects.length}});
  for (let index = 0; index < 20; index++) {
    add({apiVersion: 'v1', kind: 'Namespace', metadata: {name: `ns-${index}`, labels: {'istio-injection': 'enabled'}}});
  }
  for (let app = 0; objects.length < size; app++) {
    const namespace = `ns-${app % 20}`;
    const name = `app-${app}`;
    const labels = {app: name, version: 'v1'};
    add({apiVersion: 'apps/v1', kind: 'Deployment',
      metadata: {name, namespace, annotations: {'sidecar.istio.io/proxyCPU': '100m'}},
      spec: {template: {metadata: {labels}, spec: {containers: [{name: 'app', image: 'app'}]}}}});
    add({apiVersion: 'v1', kind: 'Pod', metadata: {name: `${name}-0`, namespace, labels},
      spec: {containers: [{name: 'app', image: 'app'}, {name: 'istio-proxy', image: 'proxyv2'}]}});
    add({apiVersion: 'v1', kind: 'Service', metadata: {name, namespace},
      spec: {selector: {app: name}, ports: [{name: 'http', port: 80}, {port: 81}]}});
    add({apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: {name, namespace},
      spec: {selector: {matchLabels: {app: app % 3 ? name : 'none'}},
        rules: [{from: [{source: {namespaces: [`ns-${(app + 1) % 20}`, 'prod-*']}}]}]}});
  }
  return objects;
}

const size = Number(process.argv[2] ?? 10_000);
// The first, smaller run also warms the JIT up.
for (const objects of [configuration(size / 10), configuration(size), configuration(size)]) {
  const baseline = cpuMs(() => structuredClone(objects));
  let count = 0;
  const analysis = cpuMs(() => {
    count = analyzeIstio(objects, {analyzers: workloadAnalyzers}).length;
  });
  console.log(
    `${objects.length} objects: ${analysis.toFixed(0)} ms CPU for the workload analysers (${count} findings), ${
      (analysis / baseline).toFixed(1)
    }x a clone of the input`,
  );
}
