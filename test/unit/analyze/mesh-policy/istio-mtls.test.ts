import {describe, expect, it} from 'vitest';
import {inventoryOf} from '../../../../src/core/analyze/mesh-policy/inventory.js';
import {mtlsIndexOf} from '../../../../src/core/analyze/mesh-policy/istio-mtls.js';
import {parseManifests} from '../../../../src/core/manifests.js';

const workload = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec: {template: {metadata: {labels: {app: web, version: v1}}, spec: {containers: [{name: web}]}}}
`;

const peer = (name: string, selector: string, mode: string) => `
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata: {name: ${name}, namespace: shop}
spec: {selector: {matchLabels: ${selector}}, mtls: {mode: ${mode}}}
`;

/** The policy that decides the workload's mode, and the mode, for the documents in this order. */
function decided(...documents: string[]): [string | undefined, string] {
  const {objects} = parseManifests(documents.join('---\n'), 'case.yaml');
  const inventory = inventoryOf({objects});
  const resolution = mtlsIndexOf(inventory).forWorkload(inventory.workloads[0]!);
  return [resolution.decidedBy?.object.metadata.name, resolution.mode];
}

describe('mtlsIndexOf', () => {
  const byVersion = peer('by-version', '{version: v1}', 'DISABLE');
  const byApp = peer('by-app', '{app: web}', 'STRICT');
  const other = peer('other', '{app: other}', 'PERMISSIVE');

  it('takes the first selecting policy in input order, whichever label selects', () => {
    expect(decided(workload, other, byVersion, byApp)).toEqual(['by-version', 'DISABLE']);
    expect(decided(workload, byApp, other, byVersion)).toEqual(['by-app', 'STRICT']);
  });

  it('falls back to the default when no policy selects the workload', () => {
    expect(decided(workload, other)).toEqual([undefined, 'PERMISSIVE']);
  });
});
