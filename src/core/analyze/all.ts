// Every analyser `validate` runs, in one registry: Istio's (istio/analyzers/all.ts, run
// through analyzeIstio, which builds the context they share) and sparc-mesh's own
// (mesh-policy/). All declare the same metadata; the live listing fetches their inputs.
import {inputsOf} from './inputs.js';
import {analyzeIstio, istioAnalyzers, optionalIstioAnalyzers} from './istio/index.js';
import type {IstioAnalyzer} from './istio/context.js';
import type {IstioContextOptions} from './istio/create-context.js';
import {smAnalyzers} from './mesh-policy/index.js';
import type {Analyzer, AnalyzerMetadata, GroupKind} from './types.js';

export interface AnalyzerOptions extends Pick<IstioContextOptions, 'meshNetworks' | 'now' | 'readCertificate'> {
  /** Also run the analysers istioctl leaves out by default (IST0136, alpha-phase annotations). */
  alphaAnnotations?: boolean;
}

function byName<T extends AnalyzerMetadata>(analyzers: readonly T[]): T[] {
  return [...analyzers].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Every analyser sparc-mesh has, Istio's optional ones included, sorted by name. */
export const analyzerRegistry: readonly AnalyzerMetadata[] = byName([...istioAnalyzers, ...optionalIstioAnalyzers,
  ...smAnalyzers]);

/** Istio's analysers as one analyser over the shared input: they need one context, built once. */
function istioAnalysis(analyzers: readonly IstioAnalyzer[], meshConfig: Record<string, unknown> | undefined,
  given: AnalyzerOptions): Analyzer
{
  const {alphaAnnotations: _, ...context} = given;
  const options = {analyzers, ...(meshConfig ? {meshConfig} : {}), ...context};
  return {
    name: 'istio',
    description: "Istio's analysers and resource validation, run as istioctl analyze runs them.",
    inputs: inputsOf(analyzers),
    codes: [...new Set(analyzers.flatMap((analyzer) => analyzer.codes))],
    analyze: (input) => analyzeIstio(input.index?.() ?? input.objects, options),
  };
}

export function validateAnalyzers(meshConfig: Record<string, unknown> | undefined,
  options: AnalyzerOptions = {}): Analyzer[]
{
  const istio = options.alphaAnnotations ? [...istioAnalyzers, ...optionalIstioAnalyzers] : istioAnalyzers;
  return [istioAnalysis(istio, meshConfig, options), ...smAnalyzers];
}

/**
 * Kinds the analysers read that a live run does not fetch: ReplicaSets' Deployments and
 * Pods say all an analyser needs of them, and listing them costs a page per rollout.
 */
const NOT_LISTED_LIVE = new Set(['apps/ReplicaSet']);

/** The kinds a live run lists: every analyser's inputs. */
export function liveInputs(): GroupKind[] {
  return inputsOf(analyzerRegistry).filter((input) => !NOT_LISTED_LIVE.has(`${input.group}/${input.kind}`));
}
