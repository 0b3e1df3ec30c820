// The rotation steps as data: the issuer alone is one in-place replacement; the trust anchor
// follows Linkerd's manual rotation, trust before use and removal only after re-issuing.
import {describe, expect, it} from 'vitest';
import {describeRotationStep, issuerRotationSteps,
  trustAnchorRotationSteps} from '../../../src/core/certs/linkerd-rotation.js';

const objects = {issuerSecret: 'linkerd/linkerd-identity-issuer', trustRoots: 'linkerd/linkerd-identity-trust-roots'};

describe('Linkerd rotation steps', () => {
  it('an issuer rotation replaces the issuer Secret and restarts nothing', () => {
    const steps = issuerRotationSteps(objects, 'CN=root.linkerd.cluster.local');
    expect(steps.map((step) => step.step)).toEqual(['renew-issuer']);
    expect(describeRotationStep(steps[0]!)).toBe(
      "sign a new issuer with the trust anchor CN=root.linkerd.cluster.local and replace Secret linkerd/linkerd-identity-issuer with it (Linkerd's identity controller reloads it; the old key is overwritten)",
    );
  });

  it('a trust-anchor rotation adds the anchor and restarts before the issuer is re-signed, and removes the old anchor last', () => {
    const steps = trustAnchorRotationSteps(objects, 'CN=new-root').map((step) => step.step);
    expect(steps).toEqual(['add-anchor', 'restart-workloads', 'renew-issuer', 'restart-workloads', 'remove-old-anchors',
      'restart-workloads']);
    expect(steps.indexOf('add-anchor')).toBeLessThan(steps.indexOf('renew-issuer'));
    expect(steps.lastIndexOf('renew-issuer')).toBeLessThan(steps.indexOf('remove-old-anchors'));
  });
});
