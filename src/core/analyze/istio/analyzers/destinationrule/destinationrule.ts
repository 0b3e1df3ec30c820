// Analysers of DestinationRules: TLS origination without server verification, hosts
// that match no service, and subsets that select no pod.
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {absenceOfHost} from '../../query/hosts.js';
import {asArray, asRecord, asString, asStringMap, at, nameOf, namespaceOf, specOf} from '../../query/fields.js';
import {istioFinding, markAbsent} from '../../finding.js';
import {NETWORKING_GROUP} from '../../query/lookup.js';
import {serviceRegistry} from '../../query/service-registry.js';
import {LabelledIndex} from '../../query/label-index.js';
import {podTemplateOf, workloadObjects} from '../../query/workload.js';
import * as msg from '../../messages.js';
import {kinds, WORKLOAD_INPUTS} from '../../../inputs.js';

function destinationRules(ctx: IstioContext): SourcedObject[] {
  return ctx.byKind('DestinationRule', NETWORKING_GROUP);
}

/**
 * TLS origination (SIMPLE or MUTUAL) without caCertificates does not check who answers. A
 * credentialName on a rule scoped by workloadSelector is exempt: the secret carries the CA.
 */
function verifiesNothing(tls: unknown, scopedCredential: boolean): string | undefined {
  const mode = asString(at(tls, 'mode'));
  if (mode !== 'SIMPLE' && mode !== 'MUTUAL') return undefined;
  if (asString(at(tls, 'caCertificates'))) return undefined;
  if (scopedCredential && asString(at(tls, 'credentialName'))) return undefined;
  return mode;
}

const caCertificate: IstioAnalyzer = {
  name: 'destinationrule.CaCertificateAnalyzer',
  description: 'DestinationRules that originate TLS without verifying the server.',
  inputs: [...kinds(NETWORKING_GROUP, 'DestinationRule')],
  codes: [msg.NoServerCertificateVerificationDestinationLevel, msg.NoServerCertificateVerificationPortLevel],
  analyze(ctx) {
    return destinationRules(ctx).flatMap((rule) => {
      const spec = specOf(rule.object);
      const host = asString(spec.host) ?? '';
      const scoped = asRecord(spec.workloadSelector) !== undefined;
      const findings: Finding[] = [];
      const mode = verifiesNothing(at(spec, 'trafficPolicy', 'tls'), scoped);
      if (mode) {
        findings.push(
          istioFinding(msg.NoServerCertificateVerificationDestinationLevel, rule,
            `TLS mode ${mode} towards ${host} sets no caCertificates, so the server's certificate is not verified.`),
        );
      }
      for (const setting of asArray(at(spec, 'trafficPolicy', 'portLevelSettings'))) {
        const portMode = verifiesNothing(at(setting, 'tls'), scoped);
        if (!portMode) continue;
        const port = String(at(setting, 'port', 'number') ?? '');
        findings.push(
          istioFinding(msg.NoServerCertificateVerificationPortLevel, rule,
            `TLS mode ${portMode} towards ${host} port ${port} sets no caCertificates, so the server's certificate is not verified.`),
        );
      }
      return findings;
    });
  },
};

const TOPOLOGY_LABELS = ['topology.kubernetes.io/region', 'topology.kubernetes.io/zone', 'topology.istio.io/subzone'];

/** Pod labels plus the node topology labels istiod adds to its endpoints (only non-empty ones). */
function endpointLabels(pod: SourcedObject, nodeLabels: Map<string, Record<string, string>>): Record<string, string> {
  const labels = {...asStringMap(pod.object.metadata.labels)};
  const nodeName = asString(at(pod.object, 'spec', 'nodeName'));
  const node = nodeName ? nodeLabels.get(nodeName) : undefined;
  if (!nodeName || !node) return labels;
  for (const key of TOPOLOGY_LABELS) if (node[key]) labels[key] = node[key];
  labels['kubernetes.io/hostname'] = nodeName;
  return labels;
}

/**
 * The label sets of the pods that run or will run: live Pods (with their node's topology
 * labels), and the templates of workloads read from files, whose pods carry those labels
 * once applied. A live controller's template is not counted: its pods say what runs.
 */
function podLabelIndex(ctx: IstioContext): LabelledIndex<Record<string, string>> {
  const nodeLabels = new Map(
    ctx.byKind('Node', '').map((node) => [nameOf(node.object), asStringMap(node.object.metadata.labels)]),
  );
  const pods = new LabelledIndex<Record<string, string>>();
  const add = (labels: Record<string, string>) => pods.add(labels, labels);
  for (const workload of workloadObjects(ctx)) {
    if (workload.object.kind === 'Pod') add(endpointLabels(workload, nodeLabels));
    else if (workload.source) add(podTemplateOf(ctx, workload.object).labels);
  }
  return pods;
}

const podNotSelected: IstioAnalyzer = {
  name: 'destinationrule.PodNotSelectedAnalyzer',
  description: 'DestinationRule subsets whose labels select no pod.',
  inputs: [...kinds(NETWORKING_GROUP, 'DestinationRule', 'ServiceEntry'), ...kinds('', 'Service', 'Node'),
    ...WORKLOAD_INPUTS],
  codes: [msg.DestinationRuleSubsetNotSelectPods, msg.UnknownDestinationRuleHost],
  analyze(ctx) {
    const registry = serviceRegistry(ctx);
    const pods = podLabelIndex(ctx);
    return destinationRules(ctx).flatMap((rule): Finding[] => {
      const spec = specOf(rule.object);
      const host = asString(spec.host) ?? '';
      const entry = registry.resolve(namespaceOf(rule.object), spec.exportTo, host);
      if (!entry) {
        const finding = istioFinding(msg.UnknownDestinationRuleHost, rule,
          `Host ${host} matches no Service or ServiceEntry in the mesh.`, ['spec', 'host']);
        return [markAbsent(finding, absenceOfHost(host, namespaceOf(rule.object)))];
      }
      // A ServiceEntry's workloadSelector narrows every subset; a Kubernetes Service adds nothing here.
      const base = entry.source.object.kind === 'ServiceEntry'
        ? asStringMap(at(entry.source.object, 'spec', 'workloadSelector', 'labels'))
        : {};
      return asArray(spec.subsets).flatMap((subset, index) => {
        const selector = {...base, ...asStringMap(at(subset, 'labels'))};
        if (pods.some(selector)) return [];
        const name = asString(at(subset, 'name')) ?? '';
        const finding = istioFinding(msg.DestinationRuleSubsetNotSelectPods, rule,
          `Subset ${name} selects no pod; traffic routed to it fails with 503 (no healthy upstream).`, ['spec',
          'subsets', index]);
        // Istio looks for the subset's pods in every namespace.
        return [markAbsent(finding, {kind: 'Pod'})];
      });
    });
  },
};

export const destinationRuleAnalyzers: IstioAnalyzer[] = [caCertificate, podNotSelected];
