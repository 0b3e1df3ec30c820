// Small helpers for rule tests: YAML in, findings out.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {parseManifests} from '../../../../src/core/manifests.js';
import type {Analyzer, Finding} from '../../../../src/core/analyze/types.js';

export function analyze(analyzer: Analyzer, yaml: string, namespaces?: string[]): Finding[] {
  const {objects, errors} = parseManifests(yaml, 'case.yaml');
  if (errors.length > 0) throw new Error(`fixture does not parse: ${errors[0]?.message}`);
  return analyzer.analyze(namespaces ? {objects, namespaces} : {objects});
}

export function codes(findings: Finding[]): string[] {
  return findings.map((finding) => finding.code).sort();
}

export function fixture(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../../fixtures/rules/${name}`, import.meta.url)), 'utf8');
}
