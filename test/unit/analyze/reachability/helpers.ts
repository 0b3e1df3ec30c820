import {parseManifests} from '../../../../src/core/manifests.js';
import {buildReachability, type ReachabilityModel,
  type ReachabilityOptions} from '../../../../src/core/analyze/reachability/index.js';

export function reach(yaml: string, options: ReachabilityOptions = {}): ReachabilityModel {
  const {objects, errors} = parseManifests(yaml, 'case.yaml');
  if (errors.length > 0) throw new Error(`fixture does not parse: ${errors[0]?.message}`);
  return buildReachability(objects, options);
}

/** `from -> to:port verdict [l7]` per edge, easy to compare. */
export function summary(model: ReachabilityModel): string[] {
  return model.edges.map((edge) =>
    `${edge.from} -> ${edge.to}:${edge.port} ${edge.verdict}${edge.l7.length > 0 ? ` [${edge.l7.join('; ')}]` : ''}`
  );
}

export function edge(model: ReachabilityModel, from: string, to: string) {
  const found = model.edges.find((candidate) => candidate.from === from && candidate.to === to);
  if (!found) throw new Error(`no edge ${from} -> ${to}`);
  return found;
}

/** A Deployment plus a Service of the same name, labelled `app: <name>`, running as service account <name>. */
export function service(namespace: string, name: string, port: number, podLabels = ''): string {
  return `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${namespace}}
spec:
  template:
    metadata: {labels: {app: ${name}${podLabels}}}
    spec:
      serviceAccountName: ${name}
      containers: [{name: main, ports: [{name: http, containerPort: ${port}}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ${name}, namespace: ${namespace}}
spec: {selector: {app: ${name}}, ports: [{name: http, port: ${port}}]}
`;
}
