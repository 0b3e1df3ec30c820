// The one crash policy for every analyser, Istio's and ours: an analyser that throws
// becomes one internal-error finding naming it, and the run goes on with the others.
// Istio's report IST0001 (as istioctl does), ours SM0999.
import type {Analyzer, Finding, RuleDoc} from './types.js';

export const ANALYSER_FAILURE: RuleDoc = {
  code: 'SM0999',
  severity: 'error',
  title: 'Analyser failure',
  description:
    "One of sparc-mesh's own analysers stopped on unexpected input; its findings for this run are missing. This is a bug in sparc-mesh, not in your configuration.",
  fix: "Report it with the input that triggered it; meanwhile the other analysers' findings still hold.",
  documentation: 'https://github.com/sparc-platform/sparc-mesh/blob/main/docs/validate.md#sm0999',
};

export function runGuarded<Context>(analyzer: Analyzer<Context>, context: Context, internalError: RuleDoc): Finding[] {
  try {
    return analyzer.analyze(context);
  } catch (error) {
    return [{
      code: internalError.code,
      severity: internalError.severity,
      message: `Analyser ${analyzer.name} failed: ${(error as Error).message}`,
      documentation: internalError.documentation,
    }];
  }
}
