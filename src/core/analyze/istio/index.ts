// The one entry point that runs Istio's analysers over a set of objects, as istioctl analyze does.
import type {Finding} from '../types.js';
import type {SourcedObject} from '../../objects.js';
import type {IstioAnalyzer, IstioContext} from './context.js';
import {createIstioContext, isSynthetic, type IstioContextOptions} from './create-context.js';
import type {ObjectIndex} from './query/object-index.js';
import {istioAnalyzers} from './analyzers/all.js';
import {withoutRepeats} from './shared-findings.js';
import {runGuarded} from '../guard.js';
import * as msg from './messages.js';

export {istioAnalyzers, optionalIstioAnalyzers} from './analyzers/all.js';

export interface AnalyzeIstioOptions extends IstioContextOptions {
  /** Run only these analysers (Istio names); all when absent. */
  analyzers?: readonly IstioAnalyzer[];
}

function syntheticKeys(ctx: IstioContext): Set<string> {
  const keys = new Set<string>();
  for (const {object} of ctx.objects) {
    if (isSynthetic(object)) {
      keys.add(`${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`);
    }
  }
  return keys;
}

/** Istio's analysers over the objects, or over their index when other analysers of the run share it. */
export function analyzeIstio(input: readonly SourcedObject[] | ObjectIndex,
  options: AnalyzeIstioOptions = {}): Finding[]
{
  const ctx = createIstioContext(input, options);
  const hidden = syntheticKeys(ctx);
  // An analyser that throws must not hide the others' findings; its failure becomes IST0001, as in istioctl.
  const findings = (options.analyzers ?? istioAnalyzers).flatMap((analyzer) =>
    runGuarded(analyzer, ctx, msg.InternalError)
  );
  return withoutRepeats(findings).filter(({resource}) =>
    !resource || !hidden.has(`${resource.kind}/${resource.namespace ?? ''}/${resource.name}`)
  );
}
