// Gateway API specifics: workload selectors aimed at Gateway API gateway pods (which
// need targetRef), and Gateway API CRDs too old for the Istio version we follow.
import type {SourcedObject} from '../../../../objects.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {asStringMap, at, namespaceOf, specOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {SECURITY_GROUP, TELEMETRY_GROUP} from '../../query/lookup.js';
import {matchesLabels} from '../../query/selectors.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';

const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/** Policy kinds that accept either a selector or a targetRef. */
const POLICY_KINDS: Array<[kind: string, group: string]> = [
  ['AuthorizationPolicy', SECURITY_GROUP],
  ['RequestAuthentication', SECURITY_GROUP],
  ['Telemetry', TELEMETRY_GROUP],
  ['WasmPlugin', 'extensions.istio.io'],
];

function policies(ctx: IstioContext): SourcedObject[] {
  return POLICY_KINDS.flatMap(([kind, group]) => ctx.byKind(kind, group));
}

const selector: IstioAnalyzer = {
  name: 'k8sgateway.SelectorAnalyzer',
  description: 'Policies that pick Gateway API gateway pods by selector instead of targetRef.',
  inputs: [...POLICY_KINDS.map(([kind, group]) => ({group, kind})), ...kinds('', 'Pod')],
  codes: [msg.IneffectiveSelector],
  analyze(ctx) {
    const gatewayPods = ctx.byKind('Pod', '').filter((pod) =>
      pod.object.metadata.labels?.[GATEWAY_NAME_LABEL] !== undefined
    );
    return policies(ctx).flatMap((policy) => {
      const spec = specOf(policy.object);
      if (spec.targetRef !== undefined || spec.targetRefs !== undefined || spec.selector === undefined) return [];
      const wanted = asStringMap(at(spec, 'selector', 'matchLabels'));
      return gatewayPods
        .filter((pod) =>
          namespaceOf(pod.object) === namespaceOf(policy.object) && matchesLabels(wanted, pod.object.metadata.labels)
        )
        .map((pod) =>
          istioFinding(msg.IneffectiveSelector, policy,
            `The selector picks pods of Gateway API gateway ${
              pod.object.metadata.labels?.[GATEWAY_NAME_LABEL] ?? ''
            }, where selectors are ignored; use targetRef to the Gateway instead.`)
        );
    });
  },
};

/**
 * Minimum Gateway API bundle versions below which Istio (1.30, the release whose analyser
 * tests we follow) ignores a CRD and every resource of its kind.
 */
const MINIMUM_BUNDLE_VERSIONS: Record<string, [number, number, number]> = {
  'grpcroutes.gateway.networking.k8s.io': [1, 1, 0],
  'backendtlspolicies.gateway.networking.k8s.io': [1, 4, 0],
  'tlsroutes.gateway.networking.k8s.io': [1, 5, 0],
};

/** `v1.4.1` or `1.4.1-rc.1` → [1, 4, 1], ignoring any pre-release; undefined when not a version. */
function parseVersion(text: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

function isOlder(a: [number, number, number], b: [number, number, number]): boolean {
  for (let index = 0; index < 3; index++) if (a[index] !== b[index]) return (a[index] ?? 0) < (b[index] ?? 0);
  return false;
}

const crdVersion: IstioAnalyzer = {
  name: 'k8sgateway.CRDVersionAnalyzer',
  description: 'Gateway API CRDs older than this Istio release needs.',
  inputs: [...kinds('apiextensions.k8s.io', 'CustomResourceDefinition')],
  codes: [msg.GatewayAPICRDVersionBelowMinimum],
  analyze(ctx) {
    return ctx.byKind('CustomResourceDefinition', 'apiextensions.k8s.io').flatMap((crd) => {
      const name = crd.object.metadata.name ?? '';
      const minimum = MINIMUM_BUNDLE_VERSIONS[name];
      const bundle = crd.object.metadata.annotations?.['gateway.networking.k8s.io/bundle-version'];
      const installed = bundle ? parseVersion(bundle) : undefined;
      if (!minimum || !installed || !isOlder(installed, minimum)) return [];
      return [
        istioFinding(msg.GatewayAPICRDVersionBelowMinimum, crd,
          `CRD ${name} is at Gateway API ${bundle}; Istio needs at least v${
            minimum.join('.')
          } and ignores resources of this kind until the CRDs are upgraded.`),
      ];
    });
  },
};

export const kubernetesGatewayAnalyzers: IstioAnalyzer[] = [selector, crdVersion];
