// The steps of rotating Linkerd's identity credentials, as data: `--plan` prints them, the
// action carries them out in order, and `--step N` resumes one of the trust-anchor rotation.
// Issuer rotation is one replacement of the issuer Secret, which Linkerd's identity controller
// watches and reloads (event IssuerUpdated), so no workload restarts. Trust-anchor rotation is
// Linkerd's documented manual rotation ("Manually Rotating Control Plane TLS Credentials"):
// the proxies must trust the new anchor before anything is signed by it, and may stop trusting
// the old one only once nothing they hold was signed by it.

/** Where Linkerd keeps its credentials: `namespace/name` of the issuer Secret and of the trust-roots ConfigMap. */
export interface IdentityObjects {
  issuerSecret: string;
  trustRoots: string;
}

export type RotationStep =
  | {step: 'renew-issuer'; secret: string; anchor: string}
  | {step: 'add-anchor'; configMap: string; anchor: string}
  | {step: 'restart-workloads'; why: string}
  | {step: 'remove-old-anchors'; configMap: string; anchor: string};

/** `anchor`: the subject of the trust anchor that signs the new issuer. */
export function issuerRotationSteps(objects: IdentityObjects, anchor: string): RotationStep[] {
  return [{step: 'renew-issuer', secret: objects.issuerSecret, anchor}];
}

/** `anchor`: the subject of the new trust anchor. */
export function trustAnchorRotationSteps(objects: IdentityObjects, anchor: string): RotationStep[] {
  return [
    {step: 'add-anchor', configMap: objects.trustRoots, anchor},
    {step: 'restart-workloads', why: 'so that every proxy trusts both anchors'},
    {step: 'renew-issuer', secret: objects.issuerSecret, anchor},
    {step: 'restart-workloads', why: 'so that every proxy holds a certificate from the new issuer'},
    {step: 'remove-old-anchors', configMap: objects.trustRoots, anchor},
    {step: 'restart-workloads', why: 'so that no proxy trusts the old anchor any more'},
  ];
}

export function describeRotationStep(step: RotationStep): string {
  switch (step.step) {
    case 'renew-issuer':
      return `sign a new issuer with the trust anchor ${step.anchor} and replace Secret ${step.secret} with it (Linkerd's identity controller reloads it; the old key is overwritten)`;
    case 'add-anchor':
      return `add the new trust anchor ${step.anchor} beside the current ones in ConfigMap ${step.configMap}`;
    case 'restart-workloads':
      return `restart the control plane and every meshed workload, ${step.why}`;
    case 'remove-old-anchors':
      return `leave only the new trust anchor ${step.anchor} in ConfigMap ${step.configMap}`;
  }
}
