// UID 1337 is the sidecar proxy's: iptables lets its traffic bypass the proxy, so an
// application running as 1337 escapes the mesh (istioctl's deployment.ApplicationUIDAnalyzer,
// which looks at Pods and Deployments; StatefulSets, DaemonSets and Jobs are checked here too).
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer, IstioContext} from '../../context.js';
import {asInteger, at, nameOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {isControlPlane, podTemplateOf, PROXY_CONTAINER, workloadObjects} from '../../query/workload.js';
import * as msg from '../../messages.js';
import {WORKLOAD_INPUTS} from '../../../inputs.js';

const PROXY_UID = 1337;

/** Containers that legitimately run as the proxy user. */
const ISTIO_CONTAINERS = new Set([PROXY_CONTAINER, 'istio-operator']);

function runsAsProxyUser(ctx: IstioContext, target: SourcedObject): boolean {
  const {spec, containers} = podTemplateOf(ctx, target.object);
  if (asInteger(at(spec, 'securityContext', 'runAsUser')) === PROXY_UID) return true;
  return containers.some((container) =>
    !ISTIO_CONTAINERS.has(container.name)
    && asInteger(at(container.raw, 'securityContext', 'runAsUser')) === PROXY_UID
  );
}

export const applicationUidAnalyzer: IstioAnalyzer = {
  name: 'deployment.ApplicationUIDAnalyzer',
  description: "Workloads that run as the proxy's UID 1337.",
  inputs: [...WORKLOAD_INPUTS],
  codes: [msg.InvalidApplicationUID],
  analyze(ctx) {
    const findings: Finding[] = [];
    for (const target of workloadObjects(ctx)) {
      if (isControlPlane(target.object) || !runsAsProxyUser(ctx, target)) continue;
      findings.push(
        istioFinding(msg.InvalidApplicationUID, target,
          `${target.object.kind} ${
            nameOf(target.object)
          } runs as user ID 1337, which is reserved for the sidecar proxy; its traffic would bypass the mesh. Choose another runAsUser.`),
      );
    }
    return findings;
  },
};
