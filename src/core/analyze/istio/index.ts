// The registry of Istio-compatible analysers and the one entry point that runs them.
import type {Finding} from '../types.js';
import type {SourcedObject} from '../../objects.js';
import {analyzersA} from './a/index.js';
import {analyzersB, optionalAnalyzersB} from './b/index.js';
import type {IstioAnalyzer, IstioContext} from './context.js';
import {createIstioContext, isSynthetic, type IstioContextOptions} from './create-context.js';
import {istioDocumentation} from './finding.js';
import {withoutRepeats} from './messages.js';
import {validationAnalyzer} from './validation/index.js';

/** Istio's resource validation (what its webhook rejects) runs beside the analysers, as in istioctl analyze. */
export const istioAnalyzers: readonly IstioAnalyzer[] = [...analyzersA, ...analyzersB, validationAnalyzer];

/** Analysers istioctl leaves out of its default run (alpha-phase annotations); validate runs them with --alpha-annotations. */
export const optionalIstioAnalyzers: readonly IstioAnalyzer[] = optionalAnalyzersB;

export interface AnalyzeIstioOptions extends IstioContextOptions {
  /** Run only these analysers (Istio names); all when absent. */
  analyzers?: readonly IstioAnalyzer[];
}

function syntheticKeys(ctx: IstioContext): Set<string> {
  const keys = new Set<string>();
  for (const {object} of ctx.objects) {
    if (isSynthetic(object)) keys.add(`${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`);
  }
  return keys;
}

/** An analyser that throws must not hide the others' findings; its failure becomes IST0001, as in istioctl. */
function runSafely(analyzer: IstioAnalyzer, ctx: IstioContext): Finding[] {
  try {
    return analyzer.analyze(ctx);
  } catch (error) {
    return [{
      code: 'IST0001',
      severity: 'error',
      message: `Analyser ${analyzer.name} failed: ${(error as Error).message}`,
      documentation: istioDocumentation('IST0001'),
    }];
  }
}

export function analyzeIstio(objects: readonly SourcedObject[], options: AnalyzeIstioOptions = {}): Finding[] {
  const ctx = createIstioContext(objects, options);
  const hidden = syntheticKeys(ctx);
  const findings = (options.analyzers ?? istioAnalyzers).flatMap((analyzer) => runSafely(analyzer, ctx));
  return withoutRepeats(findings).filter(({resource}) => !resource || !hidden.has(`${resource.kind}/${resource.namespace ?? ''}/${resource.name}`));
}
