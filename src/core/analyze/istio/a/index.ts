// Developer A's Istio analysers (networking, telemetry, Gateway API).
import type {IstioAnalyzer} from '../context.js';

export const analyzersA: IstioAnalyzer[] = [];
