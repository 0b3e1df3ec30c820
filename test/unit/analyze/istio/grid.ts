// Reading Istio's analyzer test grid (../shared/conformance/istio-analyzers) in place:
// the cases, their input objects and their mesh options. Shared by the per-analyser grid
// test, the registry test and test/conformance/istio-analyzers.test.ts.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {parseManifests} from '../../../../src/core/manifests.js';
import type {SourcedObject} from '../../../../src/core/objects.js';
import type {AnalyzeIstioOptions} from '../../../../src/core/analyze/istio/index.js';

export const GRID_ROOT = path.resolve(import.meta.dirname, '../../../../../shared/conformance/istio-analyzers');

export interface GridCase {
  name: string;
  /** Istio's analyser name, e.g. `service.PortNameAnalyzer`. */
  analyzer: string;
  inputFiles: string[];
  meshConfigFile: string | null;
  meshNetworksFile: string | null;
  /** Every code the analyser can emit; findings with other codes are not judged. */
  codes: string[];
  expected: {code: string; level: 'Error' | 'Warning' | 'Info'; origin: string}[];
  skipAll: boolean;
}

function read(file: string): string {
  return readFileSync(path.join(GRID_ROOT, file), 'utf8');
}

export function gridCases(): GridCase[] {
  return (JSON.parse(read('cases.json')) as {cases: GridCase[]}).cases;
}

export function gridObjects(testCase: GridCase): SourcedObject[] {
  return testCase.inputFiles.flatMap((file) => parseManifests(read(file), file).objects);
}

/** The case's MeshConfig and MeshNetworks files, given as istioctl's --mesh-config/--mesh-networks would. */
export function gridMeshOptions(testCase: GridCase): AnalyzeIstioOptions {
  const document = (file: string) => (yaml.load(read(file)) ?? {}) as Record<string, unknown>;
  return {
    ...(testCase.meshConfigFile ? {meshConfig: document(testCase.meshConfigFile)} : {}),
    ...(testCase.meshNetworksFile ? {meshNetworks: document(testCase.meshNetworksFile)} : {}),
  };
}
