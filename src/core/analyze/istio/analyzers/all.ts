// Every Istio analyser, as Istio's analyzers/all.go lists them, sorted by Istio's name.
// Istio's resource validation (schema.ValidationAnalyzer) runs beside the analysers, as in
// istioctl analyze.
import type {IstioAnalyzer} from '../context.js';
import {annotationsAnalyzer} from './annotations/annotations.js';
import {blockedCidrsAnalyzer} from './authn/blocked-cidrs.js';
import {authorizationPoliciesAnalyzer} from './authz/authorization-policies.js';
import {conditionsAnalyzer} from './conditions/conditions.js';
import {applicationUidAnalyzer} from './deployment/application-uid.js';
import {serviceAssociationAnalyzer} from './deployment/service-association.js';
import {deprecationAnalyzer} from './deprecation/deprecation.js';
import {destinationRuleAnalyzers} from './destinationrule/destinationrule.js';
import {envoyFilterAnalyzers} from './envoyfilter/envoyfilter.js';
import {externalControlPlaneAnalyzer} from './externalcontrolplane/external-control-plane.js';
import {gatewayAnalyzers} from './gateway/gateway.js';
import {imageAutoAnalyzer} from './injection/image-auto.js';
import {injectionImageAnalyzer} from './injection/injection-image.js';
import {injectionAnalyzer} from './injection/injection.js';
import {kubernetesGatewayAnalyzers} from './k8sgateway/k8sgateway.js';
import {alphaAnnotationsAnalyzer} from './maturity/alpha-annotations.js';
import {meshNetworksAnalyzer} from './multicluster/mesh-networks.js';
import {shadowedRulesAnalyzer} from './schema/shadowed-rules.js';
import {validationAnalyzer} from './schema/validation.js';
import {portNameAnalyzer} from './service/port-name.js';
import {serviceEntryAnalyzers} from './serviceentry/serviceentry.js';
import {sidecarAnalyzers} from './sidecar/sidecar.js';
import {telemetryAnalyzers} from './telemetry/telemetry.js';
import {virtualServiceAnalyzers} from './virtualservice/virtualservice.js';
import {webhookAnalyzer} from './webhook/webhook.js';

function byName(analyzers: IstioAnalyzer[]): IstioAnalyzer[] {
  return analyzers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** istioctl analyze's default run. */
export const istioAnalyzers: readonly IstioAnalyzer[] = byName([
  annotationsAnalyzer,
  blockedCidrsAnalyzer,
  authorizationPoliciesAnalyzer,
  conditionsAnalyzer,
  applicationUidAnalyzer,
  serviceAssociationAnalyzer,
  deprecationAnalyzer,
  ...destinationRuleAnalyzers,
  ...envoyFilterAnalyzers,
  externalControlPlaneAnalyzer,
  ...gatewayAnalyzers,
  injectionAnalyzer,
  injectionImageAnalyzer,
  imageAutoAnalyzer,
  ...kubernetesGatewayAnalyzers,
  meshNetworksAnalyzer,
  shadowedRulesAnalyzer,
  validationAnalyzer,
  portNameAnalyzer,
  ...serviceEntryAnalyzers,
  ...sidecarAnalyzers,
  ...telemetryAnalyzers,
  ...virtualServiceAnalyzers,
  webhookAnalyzer,
]);

/**
 * Analysers istioctl leaves out of its default run because they are noisy on ordinary
 * installs (today only the alpha-annotation check); validate runs them with --alpha-annotations.
 */
export const optionalIstioAnalyzers: readonly IstioAnalyzer[] = [alphaAnnotationsAnalyzer];
