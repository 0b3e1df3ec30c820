// install (render part): the control-plane configuration and the platform baseline.
import {renderingUserTemplates, templateSource} from '../../adapters/files/templates.js';
import type {KubeObject} from '../../core/objects.js';
import {renderPlatform} from '../../core/render/pipeline.js';
import type {Mesh} from '../../core/config/types.js';
import {assertSchemas} from '../render-check.js';
import {loadPlatform} from '../config-input.js';

export interface InstallRenderInput {
  mesh: Mesh;
  /** A DNS-1123 label (the caller checks it). */
  revision?: string;
  hub?: string;
  ha?: boolean;
  config?: string;
  templates?: string;
}

export interface InstallRenderResult {
  mesh: Mesh;
  objects: KubeObject[];
  notes: string[];
}

export async function renderInstall(input: InstallRenderInput): Promise<InstallRenderResult> {
  const {platform} = await loadPlatform(input.config);
  if (input.revision !== undefined) platform.istio.revision = input.revision;
  if (input.hub !== undefined) platform.istio.hub = input.hub;
  if (input.ha !== undefined) platform.linkerd.ha = input.ha;
  const rendered = await renderingUserTemplates(input.templates,
    () => renderPlatform(templateSource(input.templates), platform, input.mesh));
  const unchecked = await assertSchemas(rendered.objects, input.templates !== undefined);
  return {mesh: input.mesh, objects: rendered.objects, notes: [...rendered.notes, ...unchecked]};
}
