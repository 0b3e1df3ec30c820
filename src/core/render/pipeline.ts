// From a checked spec to the ordered list of objects a job would apply.
import type {KubeObject} from '../objects.js';
import type {Mesh, PlatformSpec, ServiceSpec} from '../config/types.js';
import {NAMESPACE_TEMPLATES, PLATFORM_TEMPLATES, SERVICE_TEMPLATES} from './template-files.js';
import {render, type Template} from './engine.js';
import {canaryGaps} from './values/canary.js';
import {callerEgressNotes} from './values/common.js';
import {linkerdGaps} from './values/linkerd.js';
import {namespaceScope, platformScope, serviceScope} from './values/scopes.js';

/** Looks up a parsed template by its path under the template root. */
export type TemplateSource = (file: string) => Template;

export interface Rendered {
  objects: KubeObject[];
  /** What the spec asked for and the mesh cannot express (shown to the user, never silent). */
  notes: string[];
}

function templates(source: TemplateSource, files: readonly string[]): Template[] {
  return files.map((file) => source(file));
}

export function renderService(source: TemplateSource, platform: PlatformSpec, service: ServiceSpec): Rendered {
  const scope = serviceScope(platform, service);
  const objects = [
    ...render(templates(source, NAMESPACE_TEMPLATES[service.mesh]), scope),
    ...render(templates(source, SERVICE_TEMPLATES[service.mesh]), scope),
  ];
  return {objects,
    notes: [...(service.mesh === 'linkerd' ? linkerdGaps(service) : []), ...canaryGaps(service),
      ...callerEgressNotes(platform.namespaces, service)]};
}

export function renderPlatform(source: TemplateSource, platform: PlatformSpec, mesh: Mesh): Rendered {
  const objects = render(templates(source, PLATFORM_TEMPLATES[mesh]), platformScope(platform));
  for (const namespace of platform.namespaces) {
    objects.push(...render(templates(source, NAMESPACE_TEMPLATES[mesh]), namespaceScope(platform, mesh, namespace)));
  }
  return {objects, notes: []};
}

/** The file name an object gets under --output-dir: stable, unique, sorted like apply order. */
export function objectFileName(object: KubeObject, index: number): string {
  const namespace = object.metadata.namespace ? `${object.metadata.namespace}.` : '';
  const position = String(index + 1).padStart(3, '0');
  return `${position}-${object.kind.toLowerCase()}-${namespace}${object.metadata.name ?? 'unnamed'}.yaml`;
}
