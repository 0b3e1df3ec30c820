// The view of a configuration set that Istio-compatible analysers work on.
// It mirrors what istioctl analyze gives its analysers: the objects, the mesh
// config (defaults when none is given) and, optionally, the mesh networks.
import type {Analyzer} from '../types.js';
import type {SourcedObject} from '../../objects.js';

export interface MeshConfig {
  /** Istio's root namespace; `istio-system` unless the mesh config says otherwise. */
  rootNamespace: string;
  /** The ingress service name used to resolve Gateway selectors; default `istio-ingressgateway`. */
  ingressService: string;
  /** The whole MeshConfig document as given (or the defaults). */
  raw: Record<string, unknown>;
}

export interface IstioContext {
  objects: readonly SourcedObject[];
  /** Objects of a kind, optionally restricted to an API group (e.g. `networking.istio.io`). */
  byKind(kind: string, group?: string): SourcedObject[];
  meshConfig: MeshConfig;
  meshNetworks?: Record<string, unknown>;
  /** The moment to judge certificate validity against; checks that need a clock are skipped without it (core has no clock). */
  now?: Date;
  /**
   * Whether the input tells which pods run, so that "selects no pod" can be judged. False for
   * files that hold no Pod and no pod-template controller: istioctl skips the analyser there.
   */
  podsKnown: boolean;
}

/** Istio's analysers read the Istio context, named as Istio names them so conformance cases map 1:1. */
export type IstioAnalyzer = Analyzer<IstioContext>;
