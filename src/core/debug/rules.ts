// SM5xxx: what `debug pod` finds on a running pod that files cannot show: the proxy, its
// version, restarts, the callers policy turns away and the traffic rules that bite at run
// time. Each has a fixed severity and a fix, as validate's codes do.
import {defineRule} from '../analyze/mesh-policy/finding.js';
import type {RuleDoc} from '../analyze/types.js';

export const NO_PROXY = defineRule('SM5001', 'error', 'Pod has no mesh proxy',
  'The pod runs without the Istio or Linkerd proxy, so it has no mesh identity: STRICT mTLS peers refuse its calls, policy cannot name it and its own traffic is plain text.',
  `Enable injection and restart the workload: a pod created before injection was enabled keeps running without a proxy until it is replaced.
    kubectl label namespace NS istio-injection=enabled        # Istio
    kubectl annotate namespace NS linkerd.io/inject=enabled   # Linkerd
    kubectl rollout restart deployment/NAME -n NS`);
export const PROXY_NOT_READY = defineRule('SM5002', 'error', 'Mesh proxy is not running or not ready',
  'The proxy container exists but is not running, or is running and not ready: the pod receives no mesh traffic until it is.',
  'Read the proxy log (`kubectl logs POD -c istio-proxy` or `-c linkerd-proxy`) and the events of the pod; a proxy that cannot reach istiod or the Linkerd control plane stays unready.');
export const PROXY_VERSION_SKEW = defineRule('SM5003', 'warning', "Proxy version differs from the control plane's",
  'The proxy was injected by another release than the control plane now serving it, usually because the pod was not restarted after an upgrade. Istio supports a skew of one minor release; features and fixes of the new release are missing.',
  'Restart the workload so that it is injected again: `kubectl rollout restart deployment/NAME -n NS`.');
export const CONTAINER_RESTARTS = defineRule('SM5004', 'warning', 'Containers restarted',
  'A container of the pod restarted; the last termination says why (OOMKilled, Error with an exit code, a failing liveness probe).',
  'Read the previous log (`kubectl logs POD -c CONTAINER --previous`); raise memory limits for OOMKilled, fix the probe or the crash otherwise.');
export const POD_NOT_READY = defineRule('SM5005', 'error', 'Pod is not ready',
  'The pod is not Running, or not Ready: its endpoints are taken out of every Service that selects it, so it receives no traffic.',
  'Look at the pod events and the state of each container below; a failing readiness probe or a container that is waiting says why.');
export const CALLERS_DENIED = defineRule('SM5010', 'warning', 'A caller one layer admits is denied by another',
  "A workload of the namespace is admitted to one of the pod's Services by an explicit rule (a NetworkPolicy ingress rule, an ALLOW policy) and refused by another layer: a NetworkPolicy that isolates the pod, mTLS, or an authorization policy. Someone meant the call to pass and it does not. The message names both, with the objects that decide.",
  "If the call should pass, allow it where the message points: an ingress rule of the NetworkPolicy, a rule of the ALLOW policy naming the caller's service account, or STRICT mTLS with a sidecar on the caller. `sparc-mesh debug connectivity --from CALLER --to svc/NAME` shows every layer.");
export const OUTLIER_DETECTION = defineRule('SM5020', 'info', 'Outlier detection can eject this pod',
  "A DestinationRule for one of the pod's Services ejects endpoints after consecutive errors; an ejected pod receives no traffic for the ejection time even though it is Ready.",
  'When a healthy pod receives no traffic, look at its error rate; `sparc-mesh debug proxy-config endpoints POD` shows ejected endpoints. Tune consecutive5xxErrors, interval and baseEjectionTime in the DestinationRule.');
export const SUBSET_SELECTS_NO_POD = defineRule('SM5021', 'error', 'Subset selects no pod',
  "A DestinationRule subset of one of the pod's Services carries labels that no pod behind the Service has: routes to that subset find no endpoint and fail with 503 (no healthy upstream).",
  'Make the subset labels match the pods (`kubectl get pods -n NS --show-labels`), or label the pods, or route to another subset.');

export const debugRules: readonly RuleDoc[] = [NO_PROXY, PROXY_NOT_READY, PROXY_VERSION_SKEW, CONTAINER_RESTARTS,
  POD_NOT_READY, CALLERS_DENIED, OUTLIER_DETECTION, SUBSET_SELECTS_NO_POD];
