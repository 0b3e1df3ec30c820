// Developer A's Istio analysers (networking, telemetry, Gateway API).
import type {IstioAnalyzer} from '../context.js';
import {gatewayAnalyzers} from './gateway.js';
import {virtualServiceAnalyzers} from './virtualservice.js';

export const analyzersA: IstioAnalyzer[] = [...gatewayAnalyzers, ...virtualServiceAnalyzers];
