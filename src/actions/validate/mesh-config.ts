// `validate --mesh-config FILE`: istioctl's --meshConfigFile holds a MeshConfig document;
// the `istio` ConfigMap holding one under `mesh` is accepted too.
import yaml from 'js-yaml';
import {invalidFile, invalidFlag} from '../../errors.js';
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
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalidFile(file, 'is not a MeshConfig document');
  const record = document as Record<string, unknown>;
  const data = record.kind === 'ConfigMap' ? (record.data as Record<string, unknown> | undefined) : undefined;
  if (data && typeof data.mesh === 'string') return loadMeshText(data.mesh, file, text);
  return record;
}

/** The `mesh` text of the istio ConfigMap; its errors point at their line of the file (`mesh: |` keeps the text on the lines below the key). */
function loadMeshText(text: string, file: string, fileText: string): MeshConfig {
  let mesh: unknown;
  try {
    mesh = yaml.load(text);
  } catch (error) {
    const keyIndex = fileText.split('\n').findIndex((line) => /^\s+mesh:/.test(line));
    const inside = (error as {mark?: {line?: number}}).mark?.line;
    const line = keyIndex === -1 ? undefined : keyIndex + 2 + (inside ?? 0);
    throw invalidFile(file, `data.mesh is not YAML: ${(error as {reason?: string}).reason ?? (error as Error).message}`, line);
  }
  if (typeof mesh !== 'object' || mesh === null) throw invalidFile(file, 'has a `mesh` key that is not a MeshConfig document');
  return mesh as MeshConfig;
}

/** The mesh config of a run given --mesh-config, else none. */
export async function meshConfigOf(input: {meshConfigFile?: string}, deps: ValidateDeps): Promise<MeshConfig | undefined> {
  return input.meshConfigFile ? loadMeshConfig(input.meshConfigFile, deps.readText) : undefined;
}
