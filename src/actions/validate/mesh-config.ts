// `validate --mesh-config FILE` and `--mesh-networks FILE`: istioctl's --meshConfigFile and
// --meshNetworksFile hold a MeshConfig or MeshNetworks document; the `istio` ConfigMap holding
// one under `mesh` or `meshNetworks` is accepted too.
import yaml from 'js-yaml';
import {invalidFile, invalidFlag} from '../../errors.js';
import {isRecord} from '../../core/record.js';
import {documentShapeProblem} from '../../core/input-limits.js';
import type {ValidateDeps} from './deps.js';

export type MeshConfig = Record<string, unknown>;
export type MeshNetworks = Record<string, unknown>;

/** Mesh documents are a few kilobytes; anything far larger is the wrong file, refused before parsing. */
const MAX_MESH_FILE_BYTES = 1024 * 1024;

interface MeshDocumentKind {
  flag: 'mesh-config' | 'mesh-networks';
  /** The key of the `istio` ConfigMap that holds this document as text. */
  configMapKey: 'mesh' | 'meshNetworks';
  what: string;
}

const MESH_CONFIG: MeshDocumentKind = {flag: 'mesh-config', configMapKey: 'mesh', what: 'MeshConfig'};
const MESH_NETWORKS: MeshDocumentKind = {flag: 'mesh-networks', configMapKey: 'meshNetworks', what: 'MeshNetworks'};

/** The file's line where a ConfigMap's `KEY: |` text starts (the line below the key), if it can be found. */
function embeddedTextLine(fileText: string, key: string): number | undefined {
  const keyIndex = fileText.split('\n').findIndex((line) => new RegExp(`^\\s+${key}:`).test(line));
  return keyIndex === -1 ? undefined : keyIndex + 2;
}

/**
 * YAML text of `file` (or of its field `subject`, whose text starts at the file's `firstLine`);
 * an error names the file and, when it can be known, the line.
 */
function parsed(text: string, file: string, firstLine: number | undefined = 1, subject?: string): unknown {
  try {
    return yaml.load(text);
  } catch (error) {
    const inside = (error as {mark?: {line?: number}}).mark?.line;
    // js-yaml marks the end of the stream one line past the text's last; never name a line the file lacks.
    const lastLine = text.replace(/\n$/, '').split('\n').length - 1;
    const line = firstLine === undefined || inside === undefined ? undefined : firstLine + Math.min(inside, lastLine);
    throw invalidFile(file,
      `${subject ? `${subject} ` : ''}is not YAML: ${(error as {reason?: string}).reason ?? (error as Error).message}`,
      line);
  }
}

async function loadMeshDocument(kind: MeshDocumentKind, file: string,
  readText: ValidateDeps['readText']): Promise<Record<string, unknown>>
{
  let text: string;
  try {
    text = await readText(file);
  } catch (error) {
    throw invalidFlag(kind.flag, file, `cannot be read: ${(error as Error).message}`);
  }
  if (Buffer.byteLength(text) > MAX_MESH_FILE_BYTES) {
    throw invalidFlag(kind.flag, file,
      `is larger than ${MAX_MESH_FILE_BYTES / 1024} KiB, too large for a ${kind.what} document`);
  }
  const document = withinLimits(parsed(text, file), file);
  if (!isRecord(document)) throw invalidFile(file, `is not a ${kind.what} document`);
  const data = document.kind === 'ConfigMap' && isRecord(document.data) ? document.data : undefined;
  const embedded = data?.[kind.configMapKey];
  if (typeof embedded !== 'string') return document;
  const inner = withinLimits(
    parsed(embedded, file, embeddedTextLine(text, kind.configMapKey), `data.${kind.configMapKey}`),
    file,
  );
  if (!isRecord(inner)) {
    throw invalidFile(file, `has a \`${kind.configMapKey}\` key that is not a ${kind.what} document`);
  }
  return inner;
}

/** The document, unless it is over a reader limit (an alias bomb in a ConfigMap's text is one too). */
function withinLimits<T>(document: T, file: string): T {
  const overLimit = documentShapeProblem(document);
  if (overLimit) throw invalidFile(file, `is not read: it ${overLimit}`);
  return document;
}

/** The mesh config of a run given --mesh-config, else none. */
export async function meshConfigOf(input: {meshConfigFile?: string},
  deps: ValidateDeps): Promise<MeshConfig | undefined>
{
  return input.meshConfigFile ? loadMeshDocument(MESH_CONFIG, input.meshConfigFile, deps.readText) : undefined;
}

/** The mesh networks of a run given --mesh-networks, else none (istioctl's default has no networks). */
export async function meshNetworksOf(input: {meshNetworksFile?: string},
  deps: ValidateDeps): Promise<MeshNetworks | undefined>
{
  return input.meshNetworksFile ? loadMeshDocument(MESH_NETWORKS, input.meshNetworksFile, deps.readText) : undefined;
}
