// The shape every part of sparc-mesh shares: a Kubernetes object as parsed data,
// optionally with where it came from so that findings can point at a file and line.

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Where an object was read from; `line` is 1-based and points at the document start. */
export interface SourceRef {
  file: string;
  line: number;
  /** 0-based index of the document inside a multi-document stream. */
  documentIndex: number;
}

export interface SourcedObject {
  object: KubeObject;
  source?: SourceRef;
}

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export function isKubeObject(value: unknown): value is KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.apiVersion === 'string' && typeof candidate.kind === 'string'
    && typeof candidate.metadata === 'object' && candidate.metadata !== null;
}

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
}

export function refOf(object: KubeObject): ResourceRef {
  const ref: ResourceRef = {apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? ''};
  if (object.metadata.namespace !== undefined) ref.namespace = object.metadata.namespace;
  return ref;
}

/** kubectl-style display name, e.g. `VirtualService sparc/checkout`. */
export function displayName(ref: ResourceRef): string {
  return ref.namespace ? `${ref.kind} ${ref.namespace}/${ref.name}` : `${ref.kind} ${ref.name}`;
}
