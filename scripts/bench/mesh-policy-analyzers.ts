// Not a test (tests never assert on wall time): prints how the SM analysers and the
// reachability model scale.
//   npx tsx scripts/bench/mesh-policy-analyzers.ts [objects] [services-for-reachability]
// Builds a synthetic zero-trust configuration (namespaces with Deployment, Service,
// AuthorizationPolicy, NetworkPolicy, VirtualService and DestinationRule per app), times
// the work in CPU time and prints it against a baseline measured in the same run (a
// structuredClone of the objects), so the ratio survives a busy machine.
import {buildReachability} from '../../src/core/analyze/reachability/index.js';
import {smAnalyzers} from '../../src/core/analyze/mesh-policy/index.js';
import type {KubeObject, SourcedObject} from '../../src/core/objects.js';
import {cpuMs} from '../../test/helpers/cpu.js';

const APPS_PER_NAMESPACE = 40;

function configuration(size: number): SourcedObject[] {
  const objects: SourcedObject[] = [];
  const add = (object: KubeObject) =>
    objects.push({object, source: {file: 'bench.yaml', line: objects.length + 1, documentIndex: objects.length}});
  add({apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication',
    metadata: {name: 'default', namespace: 'istio-system'}, spec: {mtls: {mode: 'STRICT'}}});
  for (let ns = 0; objects.length < size; ns++) {
    const namespace = `ns-${ns}`;
    add({apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace, labels: {'istio-injection': 'enabled'}}});
    add({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {name: 'default-deny', namespace},
      spec: {podSelector: {}}});
    add({apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy',
      metadata: {name: 'deny-by-default', namespace}, spec: {}});
    for (let index = 0; index < APPS_PER_NAMESPACE && objects.length < size; index++) {
      const app = `app-${index}`;
      const caller = `app-${(index + 1) % APPS_PER_NAMESPACE}`;
      add({apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: app, namespace},
        spec: {
          template: {metadata: {labels: {app}},
            spec: {serviceAccountName: app,
              containers: [{name: 'main', ports: [{name: 'http', containerPort: 8080}]}]}},
        }});
      add({apiVersion: 'v1', kind: 'Service', metadata: {name: app, namespace},
        spec: {selector: {app}, ports: [{name: 'http', port: 80, targetPort: 8080}]}});
      add({apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: {name: app, namespace},
        spec: {selector: {matchLabels: {app}},
          rules: [{from: [{source: {principals: [`cluster.local/ns/${namespace}/sa/${caller}`]}}],
            to: [{operation: {methods: ['GET']}}]}]}});
      add({apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: {name: app, namespace},
        spec: {podSelector: {matchLabels: {app}}, ingress: [{from: [{podSelector: {matchLabels: {app: caller}}}]}]}});
      add({apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: {name: app, namespace},
        spec: {hosts: [app],
          http: [{
            route: [{destination: {host: app, subset: 'v1'}, weight: 90}, {destination: {host: app, subset: 'v2'},
              weight: 10}],
            timeout: '3s',
            retries: {attempts: 2, perTryTimeout: '1s'},
          }]}});
      add({apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: {name: app, namespace},
        spec: {host: app, subsets: [{name: 'v1'}, {name: 'v2'}]}});
    }
  }
  return objects;
}

const size = Number(process.argv[2] ?? 10_000);
const services = Number(process.argv[3] ?? 200);
// The first, smaller run also warms the JIT up.
for (const objects of [configuration(size / 10), configuration(size), configuration(size)]) {
  const baseline = cpuMs(() => structuredClone(objects));
  let count = 0;
  const analysis = cpuMs(() => {
    count = smAnalyzers.flatMap((analyzer) => analyzer.analyze({objects})).length;
  });
  // The one finding expected: the last, truncated namespace lacks a caller (SM3020).
  console.log(
    `${objects.length} objects: ${analysis.toFixed(0)} ms CPU for the SM analysers (${count} findings), ${
      (analysis / baseline).toFixed(1)
    }x a clone of the input`,
  );
}
// Reachability is quadratic in the number of Services; `from`/`to` narrow it.
const graph = configuration(Math.ceil(services / APPS_PER_NAMESPACE) * (APPS_PER_NAMESPACE * 6 + 3) + 1);
for (const options of [{}, {}, {to: 'ns-0/app-1'}]) {
  let edges = 0;
  const baseline = cpuMs(() => structuredClone(graph));
  const time = cpuMs(() => {
    edges = buildReachability(graph, options).edges.length;
  });
  const serviceCount = graph.filter(({object}) => object.kind === 'Service').length;
  console.log(
    `reachability over ${serviceCount} Services${'to' in options ? ', calls to one of them' : ''}: ${edges} edges in ${
      time.toFixed(0)
    } ms CPU, ${(time / baseline).toFixed(1)}x a clone of the input`,
  );
}
