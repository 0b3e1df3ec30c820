// `validate --mesh-config FILE`: istioctl's --meshConfigFile holds a MeshConfig document;
// the `istio` ConfigMap holding one under `mesh` is accepted too.
import yaml from 'js-yaml';
import {invalidFile, invalidFlag} from '../../errors.js';
import {documentShapeProblem} from '../../core/input-limits.js';
import type {ValidateDeps} from './deps.js';

export type MeshConfig = Record<string, unknown>;

export async function loadMeshConfig(file: string, readText: ValidateDeps['readText']): Promise<MeshConfig> {
  let text: string;
  try {
    text = await readText(file);
  } catch (error) {
    throw invalidFlag('mesh-config', file, `cannot be read: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = yaml.load(text);
  } catch (error) {
    throw invalidFile(file, `is not YAML: ${(error as {reason?: string}).reason ?? (error as Error).message}`);
  }
  withinLimits(document, file);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalidFile(file, 'is not a MeshConfig document');
  const record = document as Record<string, unknown>;
  const data = record.kind === 'ConfigMap' ? (record.data as Record<string, unknown> | undefined) : undefined;
  if (data && typeof data.mesh === 'string') return withinLimits(loadMeshText(data.mesh, file), file);
  return record;
}

/** The document, unless it is over a reader limit (an alias bomb in a ConfigMap's `mesh` text is one too). */
function withinLimits<T>(document: T, file: string): T {
  const overLimit = documentShapeProblem(document);
  if (overLimit) throw invalidFile(file, `is not read: it ${overLimit}`);
  return document;
}

function loadMeshText(text: string, file: string): MeshConfig {
  const mesh = yaml.load(text);
  if (typeof mesh !== 'object' || mesh === null) throw invalidFile(file, 'has a `mesh` key that is not a MeshConfig document');
  return mesh as MeshConfig;
}

/** The mesh config of a run given --mesh-config, else none. */
export async function meshConfigOf(input: {meshConfigFile?: string}, deps: ValidateDeps): Promise<MeshConfig | undefined> {
  return input.meshConfigFile ? loadMeshConfig(input.meshConfigFile, deps.readText) : undefined;
}
