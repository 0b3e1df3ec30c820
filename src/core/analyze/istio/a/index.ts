// Developer A's Istio analysers (networking, telemetry, Gateway API).
import type {IstioAnalyzer} from '../context.js';
import {destinationRuleAnalyzers} from './destinationrule.js';
import {envoyFilterAnalyzers} from './envoyfilter.js';
import {gatewayAnalyzers} from './gateway.js';
import {kubernetesGatewayAnalyzers} from './k8sgateway.js';
import {serviceEntryAnalyzers} from './serviceentry.js';
import {sidecarAnalyzers} from './sidecar.js';
import {telemetryAnalyzers} from './telemetry.js';
import {virtualServiceAnalyzers} from './virtualservice.js';
import {virtualServiceSchemaAnalyzers} from './vs-rule-reachability.js';

export const analyzersA: IstioAnalyzer[] = [...gatewayAnalyzers, ...destinationRuleAnalyzers, ...serviceEntryAnalyzers, ...sidecarAnalyzers, ...telemetryAnalyzers, ...kubernetesGatewayAnalyzers, ...envoyFilterAnalyzers, ...virtualServiceAnalyzers, ...virtualServiceSchemaAnalyzers];
