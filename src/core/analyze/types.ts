// Findings are what every analyser returns; printers and exit codes only look at these.
import type {FieldPath} from '../field-line.js';
import type {ResourceRef, SourcedObject} from '../objects.js';
import type {ObjectIndex} from './istio/query/object-index.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITY_RANK: Record<Severity, number> = {info: 0, warning: 1, error: 2};

export interface Finding {
  /** A stable code: Istio's IST0xxx where istioctl analyze has one, SM1xxx for ours. */
  code: string;
  severity: Severity;
  message: string;
  resource?: ResourceRef;
  file?: string;
  line?: number;
  documentation?: string;
  /**
   * Where in the resource the finding is about, as keys and positions. Not printed: validate
   * uses it to move `line` from the object's first line to the field's.
   */
  field?: FieldPath;
  /**
   * What the finding concludes is missing from the configuration (a Service, a pod, a
   * Secret ...). Not printed: a partial input reports the finding only where it holds objects
   * of that kind there (see coverage.ts).
   */
  absent?: Absence;
}

/** Objects of a kind the configuration lacks: in one namespace, or in any when `namespace` is absent. */
export interface Absence {
  /** A kind, or `*` for a namespace's set-up as a whole (see coverage.ts). */
  kind: string;
  namespace?: string;
}

/** Everything an analyser may look at. Objects from files and from a live cluster look the same. */
export interface AnalysisInput {
  objects: SourcedObject[];
  /** Namespaces known to exist (from files or the cluster), for rules about missing defaults. */
  namespaces?: string[];
  /**
   * A MeshConfig the user gave (validate --mesh-config): its root namespace, trust domain and
   * egress mode count over any mesh config found among the objects.
   */
  meshConfig?: Record<string, unknown>;
  /**
   * The input may lack objects it refers to (files, without --complete): findings about
   * something missing are reported only where it holds objects of that kind. A live cluster
   * and --complete input are complete.
   */
  partial?: boolean;
  /**
   * The objects indexed, built on first call and shared by the analysers of one run
   * (runAnalysis gives it); an analyser given none indexes the objects itself.
   */
  index?: () => ObjectIndex;
}

/** A kind of object an analyser reads; `kind: '*'` reads every kind of the group. */
export interface GroupKind {
  /** API group; '' for the core group. */
  group: string;
  kind: string;
}

/**
 * What every analyser, Istio's and sparc-mesh's own, declares about itself, as Istio's
 * `analysis.Metadata`: the live listing fetches the union of `inputs`, and `validate explain`
 * documents every one of `codes`.
 */
export interface AnalyzerMetadata {
  /** Istio's name for Istio's analysers (e.g. `gateway.IngressGatewayPortAnalyzer`), `sm.<area>` for ours. */
  name: string;
  /** One line: what the analyser checks. */
  description: string;
  inputs: readonly GroupKind[];
  /** Every message it may report; a finding's code and severity come from one of these. */
  codes: readonly RuleDoc[];
}

/** An analyser over a context: Istio's read an IstioContext, ours the AnalysisInput. */
export interface Analyzer<Context = AnalysisInput> extends AnalyzerMetadata {
  analyze(context: Context): Finding[];
}

/** A message type: one code with its severity and the words `sparc-mesh validate explain CODE` prints. */
export interface RuleDoc {
  code: string;
  severity: Severity;
  /** One line, e.g. "PeerAuthentication allows plain text". */
  title: string;
  /** What the rule checks and why it matters. */
  description: string;
  /** How to fix it, as concrete steps or a YAML snippet. */
  fix: string;
  documentation: string;
}
