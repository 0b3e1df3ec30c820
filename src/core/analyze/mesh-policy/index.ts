// sparc-mesh's own analysers (SM codes) and their catalogue.
// Code allocation: SM1xxx zero trust (Istio mTLS, authorization, gateways, egress),
// SM2xxx Linkerd policy, SM3xxx NetworkPolicy, SM4xxx traffic management.
import type {Analyzer, RuleDoc} from '../types.js';
import {linkerdAnalyzer, linkerdRules} from './linkerd.js';
import {networkPolicyAnalyzer, networkPolicyRules} from './network-policy.js';
import {trafficAnalyzer, trafficRules} from './traffic.js';
import {zeroTrustAnalyzer, zeroTrustRules} from './zero-trust.js';

export const smAnalyzers: Analyzer[] = [linkerdAnalyzer, networkPolicyAnalyzer, trafficAnalyzer, zeroTrustAnalyzer];

export const smCatalogue: RuleDoc[] = [...zeroTrustRules, ...linkerdRules, ...networkPolicyRules, ...trafficRules]
  .sort((a, b) => a.code.localeCompare(b.code));
