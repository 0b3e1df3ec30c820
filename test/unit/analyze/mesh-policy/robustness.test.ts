// Real-world shapes the hand-written cases may miss: every SM analyser and the reachability
// model run over each input file of Istio's analyzer test grid (read in place from
// ../shared) without throwing, and every finding points at an object of the input.
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {parseManifests} from '../../../../src/core/manifests.js';
import {buildReachability} from '../../../../src/core/analyze/reachability/index.js';
import {smAnalyzers} from '../../../../src/core/analyze/mesh-policy/index.js';

const testdata = fileURLToPath(new URL('../../../../../shared/conformance/istio-analyzers/testdata', import.meta.url));
const files = readdirSync(testdata).filter((name) => name.endsWith('.yaml')).sort();

describe("SM analysers on Istio's analyzer testdata", () => {
  it('finds the testdata', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files)('%s', (name) => {
    const {objects} = parseManifests(readFileSync(join(testdata, name), 'utf8'), name);
    const identities = new Set(
      objects.map(({object}) => `${object.kind}/${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`),
    );
    for (const analyzer of smAnalyzers) {
      for (const finding of analyzer.analyze({objects})) {
        const {resource} = finding;
        // Namespace findings may name a namespace that only other objects mention.
        if (resource && resource.kind !== 'Namespace') {
          expect(identities).toContain(`${resource.kind}/${resource.namespace ?? ''}/${resource.name}`);
        }
        if (finding.file !== undefined) expect(finding.file).toBe(name);
      }
    }
    expect(() => buildReachability(objects)).not.toThrow();
  });
});
