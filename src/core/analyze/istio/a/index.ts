// Developer A's Istio analysers (networking, telemetry, Gateway API).
import type {IstioAnalyzer} from '../context.js';
import {destinationRuleAnalyzers} from './destinationrule.js';
import {gatewayAnalyzers} from './gateway.js';
import {serviceEntryAnalyzers} from './serviceentry.js';
import {virtualServiceAnalyzers} from './virtualservice.js';

export const analyzersA: IstioAnalyzer[] = [...gatewayAnalyzers, ...destinationRuleAnalyzers, ...serviceEntryAnalyzers, ...virtualServiceAnalyzers];
