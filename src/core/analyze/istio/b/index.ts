// Developer B's Istio analysers: workloads, injection, annotations, policies, webhooks.
// Names match istioctl's analyser names (and so the conformance cases) one to one.
import type {IstioAnalyzer} from '../context.js';
import {alphaAnnotationsAnalyzer, annotationsAnalyzer} from './annotations.js';
import {applicationUidAnalyzer} from './application-uid.js';
import {authorizationPoliciesAnalyzer} from './authorization-policies.js';
import {blockedCidrsAnalyzer} from './blocked-cidrs.js';
import {conditionsAnalyzer} from './conditions.js';
import {deprecationAnalyzer} from './deprecation.js';
import {externalControlPlaneAnalyzer} from './external-control-plane.js';
import {imageAutoAnalyzer} from './image-auto.js';
import {injectionAnalyzer} from './injection.js';
import {injectionImageAnalyzer} from './injection-image.js';
import {meshNetworksAnalyzer} from './mesh-networks.js';
import {portNameAnalyzer} from './port-name.js';
import {serviceAssociationAnalyzer} from './service-association.js';
import {webhookAnalyzer} from './webhook.js';

/** Every analyser of istioctl's default run that B owns. */
export const analyzersB: IstioAnalyzer[] = [
  annotationsAnalyzer,
  deprecationAnalyzer,
  injectionAnalyzer,
  injectionImageAnalyzer,
  imageAutoAnalyzer,
  applicationUidAnalyzer,
  serviceAssociationAnalyzer,
  portNameAnalyzer,
  blockedCidrsAnalyzer,
  authorizationPoliciesAnalyzer,
  externalControlPlaneAnalyzer,
  meshNetworksAnalyzer,
  webhookAnalyzer,
  conditionsAnalyzer,
];

/**
 * Analysers istioctl leaves out of its default run because they are noisy on ordinary
 * installs (today only the alpha-annotation check); run them on request.
 */
export const optionalAnalyzersB: IstioAnalyzer[] = [alphaAnnotationsAnalyzer];
