// A deterministic corpus for the validate benchmark: N services spread over namespaces,
// one multi-document file per service, each with the objects a platform team keeps for a
// service (11 per service), plus a Namespace per team and a shared ingress Gateway.
// Same count → same bytes, so runs on different days compare.
import {mkdir, writeFile} from 'node:fs/promises';
import {join} from 'node:path';
import yaml from 'js-yaml';

export interface CorpusStats {
  dir: string;
  services: number;
  files: number;
  objects: number;
}

const TEAMS = 20;

function serviceObjects(index: number): object[] {
  const name = `svc-${String(index).padStart(4, '0')}`;
  const namespace = `team-${String(index % TEAMS).padStart(2, '0')}`;
  const host = `${name}.${namespace}.svc.cluster.local`;
  const labels = {app: name, version: 'v1'};
  const metadata = {name, namespace, labels: {app: name}};
  // Every 50th service has a mistake, so the analysers report something and the output is not trivial.
  const broken = index % 50 === 7;
  return [
    {apiVersion: 'v1', kind: 'ServiceAccount', metadata},
    {apiVersion: 'v1', kind: 'ConfigMap', metadata: {...metadata, name: `${name}-config`},
      data: {LOG_LEVEL: 'info', UPSTREAM: `svc-${String((index + 1) % 1000).padStart(4, '0')}`}},
    {apiVersion: 'apps/v1', kind: 'Deployment', metadata, spec: {
      replicas: 2,
      selector: {matchLabels: {app: name}},
      template: {metadata: {labels}, spec: {serviceAccountName: name, containers: [{
        name: 'app',
        image: `registry.example.com/${namespace}/${name}:1.0.${index % 10}`,
        ports: [{name: 'http', containerPort: 8080}],
        resources: {requests: {cpu: '100m', memory: '128Mi'}, limits: {memory: '256Mi'}},
      }]}},
    }},
    {apiVersion: 'v1', kind: 'Service', metadata,
      spec: {selector: {app: name}, ports: [{name: 'http', port: 80, targetPort: 8080}]}},
    {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata, spec: {
      hosts: [host],
      http: [{route: [{destination: {host: broken ? `missing-${host}` : host, subset: 'v1', port: {number: 80}}}],
        timeout: '5s', retries: {attempts: 2, perTryTimeout: '2s'}}],
    }},
    {apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata, spec: {
      host,
      trafficPolicy: {connectionPool: {http: {http1MaxPendingRequests: 100}},
        outlierDetection: {consecutive5xxErrors: 5, interval: '10s'}},
      subsets: [{name: 'v1', labels: {version: 'v1'}}],
    }},
    {apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata, spec: {
      selector: {matchLabels: {app: name}},
      action: 'ALLOW',
      rules: [{
        from: [{
          source: {principals: [`cluster.local/ns/${namespace}/sa/svc-${String((index + 1) % 1000).padStart(4, '0')}`]},
        }],
        to: [{operation: {methods: ['GET', 'POST']}}],
      }],
    }},
    {apiVersion: 'security.istio.io/v1', kind: 'PeerAuthentication', metadata,
      spec: {selector: {matchLabels: {app: name}}, mtls: {mode: 'STRICT'}}},
    {apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec: {
      podSelector: {matchLabels: {app: name}},
      policyTypes: ['Ingress'],
      ingress: [{from: [{podSelector: {}}], ports: [{port: 8080}]}],
    }},
    {apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata, spec: {
      scaleTargetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name},
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{type: 'Resource', resource: {name: 'cpu', target: {type: 'Utilization', averageUtilization: 70}}}],
    }},
    {apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata,
      spec: {minAvailable: 1, selector: {matchLabels: {app: name}}}},
  ];
}

function sharedObjects(): object[] {
  const namespaces = Array.from({length: TEAMS}, (_, team) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {name: `team-${String(team).padStart(2, '0')}`, labels: {'istio-injection': 'enabled'}},
  }));
  const gateway = {apiVersion: 'networking.istio.io/v1', kind: 'Gateway',
    metadata: {name: 'edge', namespace: 'istio-system'}, spec: {
      selector: {istio: 'ingressgateway'},
      servers: [{port: {number: 80, name: 'http', protocol: 'HTTP'}, hosts: ['*.example.com'],
        tls: {httpsRedirect: true}}],
    }};
  return [...namespaces, gateway];
}

function toYaml(objects: readonly object[]): string {
  return objects.map((object) => yaml.dump(object, {noRefs: true, lineWidth: -1})).join('---\n');
}

export async function writeCorpus(dir: string, services = 1000): Promise<CorpusStats> {
  await mkdir(join(dir, 'services'), {recursive: true});
  const shared = sharedObjects();
  await writeFile(join(dir, 'platform.yaml'), toYaml(shared));
  let objects = shared.length;
  for (let index = 0; index < services; index++) {
    const perService = serviceObjects(index);
    objects += perService.length;
    await writeFile(join(dir, 'services', `svc-${String(index).padStart(4, '0')}.yaml`), toYaml(perService));
  }
  return {dir, services, files: services + 1, objects};
}
