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
  /** The moment to judge certificate validity against; without it (core has no clock) validity dates are not judged. */
  now?: Date;
  /** Reads a PEM certificate's validity (core parses no X.509 itself); without it certificates are not parsed. */
  readCertificate?: ReadCertificateValidity;
}

/** When a PEM certificate is valid; undefined when it does not parse. */
export type ReadCertificateValidity = (pem: string) => {notBefore: Date; notAfter: Date} | undefined;

/** Istio's analysers read the Istio context, named as Istio names them so conformance cases map 1:1. */
export type IstioAnalyzer = Analyzer<IstioContext>;
