// Istio's analysis messages as typed constants, named and levelled as in Istio's
// msg/messages.yaml: an analyser reports through the constant, so a code cannot carry
// another severity than Istio's. Titles, descriptions and fixes are our own words; they are
// what `sparc-mesh validate explain CODE` prints.
import {istioMessage} from './finding.js';

export const InternalError = istioMessage('IST0001', 'error', 'Analyser failure',
  'An analyser stopped on unexpected input; its other findings for this run are missing. This is a bug in sparc-mesh, not in your configuration.',
  "Report it with the input that triggered it; meanwhile the other analysers' findings still hold.");
export const Deprecated = istioMessage('IST0002', 'warning', 'Deprecated Istio field or type',
  'The object uses a field Istio has deprecated (or ignores), or a custom resource type Istio removed.',
  'Move to the replacement named in the message (e.g. fault.delay.percentage instead of percent); delete removed CRDs and their objects.');
export const ReferencedResourceNotFound = istioMessage('IST0101', 'error', 'Referenced resource not found',
  'The object names something the analysed configuration does not hold: a gateway, a destination host or port, a subset, a TLS secret, or a selector that picks no workload.',
  'Create the missing object, correct the reference (namespace/name, FQDN, port number, labels), or analyse the files together with the cluster (--cluster).');
export const NamespaceNotInjected = istioMessage('IST0102', 'info', 'Namespace not enabled for injection',
  'The namespace has neither the istio-injection label nor a revision label, so new pods there get no sidecar.',
  'kubectl label namespace NS istio-injection=enabled (or istio.io/rev=REVISION); label it istio-injection=disabled if it should stay outside the mesh.');
export const PodMissingProxy = istioMessage('IST0103', 'warning', 'Pod without the Istio proxy',
  'The pod runs in an injected namespace but has no istio-proxy container, usually because it started before injection was enabled.',
  'Restart the workload (kubectl rollout restart deployment/NAME) so that the injector adds the sidecar.');
export const SchemaValidationError = istioMessage('IST0106', 'error', 'Istio would reject this resource',
  "Istio's own validation of the resource fails, so istiod's validating webhook refuses it and kubectl apply fails wherever the webhook runs. Examples: a Gateway without servers or with a port name used twice, a VirtualService route without destination, an EnvoyFilter patch that does not match the class of object it applies to, a DestinationRule with two subsets of one name, an AuthorizationPolicy with action CUSTOM but no provider.",
  'Correct the field the message names; `kubectl apply --dry-run=server` against a cluster running istiod confirms the fix.');
export const MisplacedAnnotation = istioMessage('IST0107', 'warning', 'Istio annotation on the wrong kind of object',
  'The annotation only has an effect on other kinds of object; here Istio ignores it. A common case is a pod annotation set on a Deployment instead of its pod template.',
  'Move the annotation to the kind named in the message, e.g. under spec.template.metadata.annotations.');
export const UnknownAnnotation = istioMessage('IST0108', 'warning', 'Unknown Istio annotation',
  'The annotation is in an Istio domain (*.istio.io) but is not one Istio defines, so it does nothing. Usually a typo.',
  'Correct the name against the Istio annotation reference, or remove it.');
export const ConflictingMeshGatewayVirtualServiceHosts = istioMessage('IST0109', 'error',
  'Two mesh VirtualServices claim one host',
  'Several VirtualServices bound to the mesh (no gateways, or `mesh`) and visible in the same namespace define the same host; sidecars apply only one of them, and which is undefined.',
  'Merge their routes into one VirtualService per host, or narrow their exportTo so that they do not meet.');
export const ConflictingSidecarWorkloadSelectors = istioMessage('IST0110', 'error', 'Two Sidecars select one pod',
  'More than one Sidecar resource selects the same pod with its workloadSelector; which one applies is undefined.',
  'Make the workloadSelectors disjoint, or merge the Sidecars into one.');
export const MultipleSidecarsWithoutWorkloadSelectors = istioMessage('IST0111', 'error',
  'Several namespace-wide Sidecars',
  'More than one Sidecar without workloadSelector exists in one namespace; only one namespace default can apply.',
  'Keep one Sidecar without workloadSelector per namespace; give the others selectors.');
export const VirtualServiceDestinationPortSelectorRequired = istioMessage('IST0112', 'error', 'Destination port needed',
  'A route sends traffic to a service that exposes several ports without saying which one.',
  'Set destination.port.number on the route.');
export const DeploymentAssociatedToMultipleServices = istioMessage('IST0116', 'warning',
  'Port used with different protocols',
  'Several Services select the same in-mesh Deployment and use one port number with different protocols; the proxy can only apply one.',
  'Give the port a single protocol in every Service that selects the workload, or use different port numbers.');
export const PortNameIsNotUnderNamingConvention = istioMessage('IST0118', 'info', 'Port name gives no protocol',
  'The Service port is neither named <protocol>[-<suffix>] nor has appProtocol, so Istio sniffs the protocol, which can be slower and less predictable.',
  'Name the port after its protocol (http-web, grpc, tcp-db, ...) or set appProtocol.');
export const NamespaceMultipleInjectionLabels = istioMessage('IST0123', 'warning',
  'Competing injection labels on a namespace',
  'The namespace combines istio-injection, istio.io/rev and ambient data-plane labels; which one decides is undefined.',
  'Keep exactly one: kubectl label namespace NS istio.io/rev- (or istio-injection-).');
export const InvalidAnnotation = istioMessage('IST0125', 'warning', 'Invalid value for an Istio annotation',
  'The sidecar injector parses this annotation and would reject or misread its value (a non-numeric delay, a malformed CIDR, ...).',
  'Fix the value to the syntax given in the message.');
export const UnknownMeshNetworksServiceRegistry = istioMessage('IST0126', 'error',
  'Unknown service registry in MeshNetworks',
  'A MeshNetworks endpoint takes endpoints from a registry that is neither built in nor the cluster ID of a remote secret; that network gets no endpoints. Registry names are case-sensitive (Kubernetes, not kubernetes).',
  'Use a built-in registry name or the cluster ID of an installed remote secret.');
export const NoMatchingWorkloadsFound = istioMessage('IST0127', 'warning', 'AuthorizationPolicy matches no workload',
  'No in-mesh pod matches the policy selector in its namespace (or anywhere, for a root-namespace policy), so the policy has no effect.',
  'Fix the selector labels or the namespace, or remove the policy.');
export const NoServerCertificateVerificationDestinationLevel = istioMessage('IST0128', 'warning',
  'TLS origination without server verification',
  "A DestinationRule originates TLS (SIMPLE or MUTUAL) but sets no caCertificates, so the server's certificate is not checked.",
  'Set trafficPolicy.tls.caCertificates (or a credentialName whose secret holds ca.crt, with a workloadSelector).');
export const NoServerCertificateVerificationPortLevel = istioMessage('IST0129', 'warning',
  'Port-level TLS origination without server verification',
  "A port-level TLS setting (SIMPLE or MUTUAL) sets no caCertificates, so the server's certificate on that port is not checked.",
  'Set portLevelSettings[].tls.caCertificates for that port.');
export const VirtualServiceUnreachableRule = istioMessage('IST0130', 'warning', 'VirtualService rule never used',
  'Earlier rules take every request this rule matches (or an earlier rule without matches takes everything), so it never applies.',
  'Remove the rule, or move it before the rule that shadows it; only the last rule may have no match.');
export const VirtualServiceIneffectiveMatch = istioMessage('IST0131', 'info', 'VirtualService match never used',
  'A match repeats, or falls within, a match of an earlier rule (for example a longer URI prefix after a shorter one), so it never applies.',
  'Remove the match, or order more specific matches before more general ones.');
export const VirtualServiceHostNotFoundInGateway = istioMessage('IST0132', 'warning',
  'VirtualService host not on its gateway',
  "None of the VirtualService's hosts is among the hosts the referenced gateway serves, so the routes never apply there.",
  "Add the host to the Gateway's servers (or listener hostname), or correct the VirtualService's hosts.");
export const SchemaWarning = istioMessage('IST0133', 'warning', 'Istio accepts this resource with a warning',
  "Istio's own validation admits the resource but warns about it: every EnvoyFilter (it patches Envoy internals that change between releases), a workload selector without labels (it selects the whole namespace), a TCP ServiceEntry port without addresses when istiod will not allocate one, a DENY rule of HTTP attributes only (it also denies all TCP traffic in scope).",
  'Read the warning and change the resource if it did not mean what the warning says; for EnvoyFilters prefer a higher-level API and retest them on every upgrade.');
export const ServiceEntryAddressesRequired = istioMessage('IST0134', 'warning', 'ServiceEntry needs addresses',
  'A ServiceEntry with TCP (or unset) protocol ports has no addresses; without a virtual IP, sidecars cannot tell its traffic from other TCP traffic on the same port.',
  'Add spec.addresses, set an explicit non-TCP protocol, or enable DNS capture with address auto-allocation in the mesh config.');
export const DeprecatedAnnotation = istioMessage('IST0135', 'info', 'Deprecated Istio annotation',
  'The annotation is deprecated and may stop working in a future Istio release.',
  'Replace it with its successor (e.g. the sidecar.istio.io/inject label), or remove it.');
export const AlphaAnnotation = istioMessage('IST0136', 'info', 'Alpha-phase Istio annotation',
  'The annotation belongs to an alpha feature, which may be incomplete or change without notice. Reported only when optional analysers run.',
  'Keep it out of production workloads, or accept the risk knowingly.');
export const DeploymentConflictingPorts = istioMessage('IST0137', 'warning', 'Target port exposed as different ports',
  'Several Services select the same in-mesh Deployment and map one targetPort to different service ports; Istio requires them to agree.',
  'Use the same service port for that targetPort in every Service, or merge the Services.');
export const GatewayDuplicateCertificate = istioMessage('IST0138', 'warning', 'Same certificate on several gateways',
  'Gateways on the same workload serve one certificate; browsers reuse HTTP/2 connections across their hosts and get 404 from the wrong server block.',
  'Merge the servers into one Gateway, or give each Gateway its own certificate.');
export const InvalidWebhook = istioMessage('IST0139', 'error', 'Invalid injection webhook',
  'Two Istio injection webhooks select the same pods (they would be injected twice), or a webhook calls a control-plane Service that does not exist.',
  'Narrow the webhook selectors (revision labels) so exactly one matches, and point clientConfig.service at the running istiod Service.');
export const IngressRouteRulesNotAffected = istioMessage('IST0140', 'warning', 'Subset routing ignored at the gateway',
  'A gateway-bound route sends to a host without a subset while another VirtualService splits that host by subset; the split does not apply to traffic coming through the gateway.',
  'Route to the subsets in the gateway-bound VirtualService too.');
export const InvalidApplicationUID = istioMessage('IST0144', 'warning', 'Application runs as UID 1337',
  'UID 1337 is reserved for the sidecar proxy; traffic from a process with that UID bypasses the proxy and so the mesh.',
  'Set runAsUser to another UID in the pod or container securityContext.');
export const ConflictingGateways = istioMessage('IST0145', 'error', 'Conflicting gateways',
  'Gateways on the same workload claim the same port and host; only one of them takes effect.',
  'Merge the servers into one Gateway or give them different hosts or ports.');
export const ImageAutoWithoutInjectionWarning = istioMessage('IST0146', 'warning',
  'Deployment with image: auto is not injected',
  'The istio-proxy container uses the image: auto placeholder, but no Istio injection webhook selects the pods, so the placeholder stays and the pods fail.',
  'Label the namespace (istio-injection=enabled or istio.io/rev) or the pod template (sidecar.istio.io/inject: "true").');
export const ImageAutoWithoutInjectionError = istioMessage('IST0147', 'error', 'Pod with image: auto was not injected',
  'The pod still has the image: auto placeholder for istio-proxy, so injection did not happen and that container cannot start.',
  'Enable injection for the pod and recreate it.');
export const NamespaceInjectionEnabledByDefault = istioMessage('IST0148', 'info', 'Namespace injected by default',
  'The namespace has no injection label, but the injector is installed with enableNamespacesByDefault, so its pods get sidecars.',
  'Nothing to do if intended; label the namespace istio-injection=disabled to opt out.');
export const JwtClaimBasedRoutingWithoutRequestAuthN = istioMessage('IST0149', 'error',
  'JWT claim routing without authentication',
  'Routes match on @request.auth.claims, but no RequestAuthentication applies to the gateway pods, so the claims are never set and the routes never match.',
  'Add a RequestAuthentication whose selector matches the gateway pods (in their namespace or istio-system).');
export const ExternalNameServiceTypeInvalidPortName = istioMessage('IST0150', 'warning',
  'ExternalName service port without a usable protocol',
  'An ExternalName Service has ports whose names give no protocol (or plain tcp); the proxy cannot forward their unmatched traffic correctly.',
  'Name the ports after their protocol (https, tls, http, ...).');
export const EnvoyFilterUsesRelativeOperation = istioMessage('IST0151', 'warning',
  'EnvoyFilter relative patch without priority',
  'INSERT_BEFORE/AFTER, REPLACE or REMOVE depend on the order EnvoyFilters are applied; without a priority the target may not exist yet.',
  'Use INSERT_FIRST or ADD, or set spec.priority.');
export const EnvoyFilterUsesReplaceOperationIncorrectly = istioMessage('IST0152', 'error',
  'EnvoyFilter REPLACE on unsupported type',
  'REPLACE only works for HTTP_FILTER, NETWORK_FILTER and VIRTUAL_HOST; elsewhere it is ignored.',
  'Use MERGE, or REMOVE plus ADD, for other applyTo types.');
export const EnvoyFilterUsesAddOperationIncorrectly = istioMessage('IST0153', 'error', 'EnvoyFilter ADD ignored',
  'ADD has no effect when applyTo is ROUTE_CONFIGURATION or HTTP_ROUTE.',
  'Use MERGE for route configuration, or patch at VIRTUAL_HOST level.');
export const EnvoyFilterUsesRemoveOperationIncorrectly = istioMessage('IST0154', 'error', 'EnvoyFilter REMOVE ignored',
  'REMOVE has no effect when applyTo is ROUTE_CONFIGURATION or HTTP_ROUTE.',
  'Remove the route in the VirtualService instead, or patch at VIRTUAL_HOST level.');
export const EnvoyFilterUsesRelativeOperationWithProxyVersion = istioMessage('IST0155', 'warning',
  'EnvoyFilter relative patch on a version-specific filter',
  'A relative patch without priority targets a filter that another patch adds only for some proxy versions; on other versions it does not apply.',
  'Set spec.priority, and give every patch of that filter the same proxyVersion match.');
export const InvalidTelemetryProvider = istioMessage('IST0157', 'warning', 'Telemetry access logging without provider',
  'An accessLogging entry names no provider and the mesh config has no default access-log provider, so the entry is ignored.',
  'Name a provider (e.g. envoy) or set meshConfig.defaultProviders.accessLogging.');
export const PodsIstioProxyImageMismatchInNamespace = istioMessage('IST0158', 'warning',
  'Sidecars run an outdated proxy image',
  'Pods in the namespace run a proxy image other than the one the injector now uses, typically after a control-plane upgrade.',
  'Restart the listed workloads so that they are re-injected with the current proxy.');
export const ConflictingTelemetryWorkloadSelectors = istioMessage('IST0159', 'error', 'Two Telemetries select one pod',
  'More than one Telemetry selects the same pod; which one applies is undefined.',
  'Make the selectors disjoint, or merge the Telemetries.');
export const MultipleTelemetriesWithoutWorkloadSelectors = istioMessage('IST0160', 'error',
  'Several namespace-wide Telemetries',
  'More than one Telemetry without selector or targetRef exists in one namespace; only one namespace default can apply.',
  'Keep one namespace-wide Telemetry per namespace.');
export const InvalidGatewayCredential = istioMessage('IST0161', 'error', 'Gateway TLS secret unusable',
  'The secret a Gateway names in credentialName lacks cert/key (or tls.crt/tls.key), holds no parsable certificate, or the certificate is outside its validity period.',
  'Recreate the secret: kubectl create secret tls NAME --cert=FILE --key=FILE -n <gateway namespace>.');
export const GatewayPortNotDefinedOnService = istioMessage('IST0162', 'warning',
  'Gateway port not on the gateway Service',
  'The Gateway listens on a port that no Service in front of its workload exposes (as port or targetPort), so traffic cannot reach it through the Service.',
  'Add the port to the ingress gateway Service, or use a port it already exposes.');
export const InvalidExternalControlPlaneConfig = istioMessage('IST0163', 'warning',
  'Unusable external control-plane address',
  'An Istio webhook meant to reach an external control plane has no URL (and no service), or a URL without a usable host.',
  'Set clientConfig.url to the external istiod ingress, e.g. https://istiod.example.com:15017/inject.');
export const ExternalControlPlaneAddressIsNotAHostname = istioMessage('IST0164', 'info',
  'External control plane addressed by IP',
  'An Istio webhook reaches the external control plane by IP address, which breaks when the address changes.',
  'Use a DNS name that resolves to the external control plane ingress.');
export const ReferencedInternalGateway = istioMessage('IST0165', 'warning',
  'VirtualService binds to a generated gateway',
  'The VirtualService names a Gateway that istiod generates from a Gateway API resource; such names are internal and may change.',
  'Attach routes to the Gateway API Gateway with HTTPRoute parentRefs instead.');
export const IneffectiveSelector = istioMessage('IST0166', 'warning', 'Selector ignored on Gateway API gateway',
  'A policy uses a workload selector to pick pods of a Gateway API gateway; for those, Istio only honours targetRef.',
  'Replace selector with targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: NAME}.');
export const IneffectivePolicy = istioMessage('IST0167', 'warning', 'Policy has no effect',
  'The policy configures sidecars, but the workloads or namespace it applies to run in ambient mode without sidecars.',
  'Remove the policy, or express it for ambient (waypoint or ztunnel policies).');
export const NegativeConditionStatus = istioMessage('IST0171', 'warning', 'Negative status condition',
  'Istio or the Gateway API controller wrote a negative condition on the object (e.g. waypoint not bound, route not accepted, policy rejected by ztunnel).',
  'Read the condition reason and message in the finding and fix the cause; re-check with kubectl get -o yaml.');
export const DestinationRuleSubsetNotSelectPods = istioMessage('IST0173', 'error', 'Subset selects no pod',
  "A DestinationRule subset's labels match no pod, so traffic routed to it fails with 503 (no healthy upstream).",
  'Correct the subset labels, or deploy the version they name.');
export const UnknownDestinationRuleHost = istioMessage('IST0174', 'warning', 'DestinationRule host unknown',
  "The DestinationRule's host matches no Service or ServiceEntry visible to it, so it applies to nothing.",
  "Correct the host (short names resolve in the rule's namespace), or create the ServiceEntry.");
export const JwksUriFetchUnrestricted = istioMessage('IST0175', 'warning', 'JWKS fetches are unrestricted',
  'RequestAuthentication objects make istiod fetch JWKS URIs written by policy authors, and istiod has no BLOCKED_CIDRS_IN_JWKS_URIS, so those fetches can reach internal networks.',
  'Set BLOCKED_CIDRS_IN_JWKS_URIS on istiod (e.g. via pilot.env) to the private ranges the fetches must not reach.');
export const GatewayAPICRDVersionBelowMinimum = istioMessage('IST0176', 'warning', 'Gateway API CRD too old',
  'A Gateway API CRD is older than the version this Istio release needs; istiod ignores the CRD and every resource of its kind.',
  'Install the Gateway API CRDs at the version pinned in versions.json.');
export const ConflictingServiceEntryProtocol = istioMessage('IST0177', 'warning',
  'ServiceEntries disagree on a protocol',
  'ServiceEntries visible to each other declare the same host and port with different protocols; only one can apply.',
  'Use one protocol per host and port, or keep the entries apart with exportTo.');
