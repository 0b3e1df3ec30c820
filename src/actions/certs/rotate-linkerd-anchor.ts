// `certs rotate linkerd --trust-anchor`: Linkerd's manual trust-anchor rotation as resumable
// steps (core/certs/linkerd-rotation.ts). Every step is idempotent and checks that the steps
// before it took effect, so `--step N` can resume a rotation that stopped, and running a step
// twice changes nothing more. The new anchor and its key are the user's files; the key signs
// the new issuer and goes nowhere else. The values install linkerd keeps follow the trust roots.
import type {KeyObject} from 'node:crypto';
import type {KubeClient, KubeConnection} from '../../adapters/kube/client.js';
import {certificateOfKey, loadCaCertificates, loadSigningKey, signedBy} from '../../adapters/certs/bring-your-own.js';
import {certificateBlocks} from '../../adapters/certs/inspect.js';
import type {CertificateFacts} from '../../core/certs/status.js';
import {describeRotationStep, trustAnchorRotationSteps, type RotationStep} from '../../core/certs/linkerd-rotation.js';
import type {ResourceRef} from '../../core/objects.js';
import {invalidFlag, PreconditionError, UsageError} from '../../errors.js';
import type {ActionDeps} from '../deps.js';
import {withTrustAnchors} from '../../core/install/linkerd-install.js';
import {ISSUER_SECRET, TRUST_ROOTS_CONFIGMAP, VALUES_CONFIGMAP} from '../install/linkerd-certs.js';
import {readStoredValues, writeStoredValues} from '../install/linkerd-values.js';
import {meshedWorkloads, restartAndWait} from '../install/linkerd-workloads.js';
import {checkIssuerValidity, firstFacts, identityObjects, layoutOf, readIdentity, replaceIssuer, secretField,
  type RotationResult} from './rotate-linkerd.js';

export interface RotateAnchorInput {
  connection: KubeConnection;
  namespace: string;
  newTrustAnchorFile?: string;
  newTrustAnchorKeyFile?: string;
  issuerValidityMs: number;
  issuerValidity: string;
  plan: boolean;
  /** 1-based: run only this step (resuming); undefined: every step in order. */
  step?: number;
  waitTimeoutMs: number;
  restartedAt: string;
}

type AnchorDeps = Pick<ActionDeps, 'connect' | 'now' | 'sleep' | 'progress'>;

class AnchorRotation {
  constructor(private readonly client: KubeClient, private readonly input: RotateAnchorInput,
    private readonly deps: AnchorDeps, private readonly newAnchor: NewAnchor)
  {}

  private async bundle(): Promise<string[]> {
    return certificateBlocks((await readIdentity(this.client, this.input.namespace)).anchorsPem).map((pem) =>
      `${pem}\n`
    );
  }

  private async writeBundle(pems: readonly string[]): Promise<void> {
    await this.client.mergePatch({apiVersion: 'v1', kind: 'ConfigMap', namespace: this.input.namespace,
      name: TRUST_ROOTS_CONFIGMAP}, {data: {'ca-bundle.crt': pems.join('')}});
  }

  /**
   * The chart values install linkerd keeps carry the anchors too (identityTrustAnchorsPEM): they
   * follow the trust roots, or a later upgrade or re-install would put the old anchors back.
   * Run on every pass of the step, so a rotation stopped between the two writes is finished.
   */
  private async syncValues(): Promise<void> {
    const stored = await readStoredValues(this.client, this.input.namespace, VALUES_CONFIGMAP);
    if (!stored) return;
    const anchors = (await this.bundle()).join('');
    await writeStoredValues(this.client, {namespace: this.input.namespace, name: VALUES_CONFIGMAP}, {
      values: withTrustAnchors(stored.values, anchors),
    });
  }

  private isNew = (pem: string) => firstFacts(pem)?.sha256 === this.newAnchor.sha256;

  private restart(refs: readonly ResourceRef[]): Promise<void> {
    return restartAndWait(this.client, refs, {restartedAt: this.input.restartedAt, timeoutMs: this.input.waitTimeoutMs},
      this.deps);
  }

  async run(step: RotationStep): Promise<void> {
    switch (step.step) {
      case 'add-anchor': {
        const bundle = await this.bundle();
        if (!bundle.some(this.isNew)) await this.writeBundle([...bundle, this.newAnchor.pem]);
        return this.syncValues();
      }
      case 'restart-workloads': {
        const {controlPlane, data} = await meshedWorkloads(this.client, this.input.namespace);
        await this.restart(controlPlane);
        return this.restart(data);
      }
      case 'renew-issuer': {
        if (!(await this.bundle()).some(this.isNew)) {
          throw this.outOfOrder(step, 'the new anchor is not in the trust roots yet', 1);
        }
        const {secret} = await readIdentity(this.client, this.input.namespace);
        if (signedBy(secretField(secret, layoutOf(secret).cert) ?? '', this.newAnchor.pem)) return;
        await replaceIssuer(this.client, {namespace: this.input.namespace, secret, anchor: this.newAnchor,
          key: this.newAnchor.key, validityMs: this.input.issuerValidityMs, now: new Date(this.deps.now())});
        return;
      }
      case 'remove-old-anchors': {
        const {secret} = await readIdentity(this.client, this.input.namespace);
        if (!signedBy(secretField(secret, layoutOf(secret).cert) ?? '', this.newAnchor.pem)) {
          throw this.outOfOrder(step,
            `the issuer in Secret ${this.input.namespace}/${ISSUER_SECRET} is not signed by the new anchor yet`, 3);
        }
        const bundle = await this.bundle();
        if (bundle.length !== 1 || !this.isNew(bundle[0]!)) await this.writeBundle([this.newAnchor.pem]);
        return this.syncValues();
      }
    }
  }

  private outOfOrder(step: RotationStep, why: string, earlier: number): PreconditionError {
    return new PreconditionError(`cannot ${describeRotationStep(step)}: ${why}`,
      `run the steps before it first (from --step ${earlier})`, 'StepOutOfOrder');
  }
}

interface NewAnchor {
  pem: string;
  key: KeyObject;
  sha256: string;
  facts: CertificateFacts;
}

function loadNewAnchor(input: RotateAnchorInput, now: Date): NewAnchor {
  if (!input.newTrustAnchorFile || !input.newTrustAnchorKeyFile) {
    throw new UsageError('--new-trust-anchor-file and --new-trust-anchor-key are required with --trust-anchor',
      'make the new anchor (ECDSA P-256, a CA) and pass its certificate and key files', 'MissingFlag');
  }
  const [anchor] = loadCaCertificates('new-trust-anchor-file', input.newTrustAnchorFile, now);
  const key = loadSigningKey('new-trust-anchor-key', input.newTrustAnchorKeyFile);
  if (!certificateOfKey(key, anchor!.pem)) {
    throw new UsageError(
      `--new-trust-anchor-key: ${input.newTrustAnchorKeyFile}: is not the key of the certificate in --new-trust-anchor-file ${input.newTrustAnchorFile}`,
      undefined,
      'InvalidFile',
    );
  }
  const facts = firstFacts(anchor!.pem)!;
  return {pem: anchor!.pem, key, sha256: facts.sha256, facts};
}

export async function rotateLinkerdTrustAnchor(input: RotateAnchorInput, deps: AnchorDeps): Promise<RotationResult> {
  const now = new Date(deps.now());
  const anchor = loadNewAnchor(input, now);
  checkIssuerValidity(input, anchor.facts, now);
  const steps = trustAnchorRotationSteps(identityObjects(input.namespace), anchor.facts.subject).map((step) => ({step,
    description: describeRotationStep(step)})
  );
  if (input.step !== undefined && (input.step < 1 || input.step > steps.length)) {
    throw invalidFlag('step', input.step, `is not a step (1 to ${steps.length})`, 'see them with --plan');
  }
  const client = await deps.connect(input.connection);
  const {secret} = await readIdentity(client, input.namespace);
  const previousIssuer = firstFacts(secretField(secret, layoutOf(secret).cert));
  if (input.plan) return {steps, done: false, previousIssuer};

  const rotation = new AnchorRotation(client, input, deps, anchor);
  const chosen = input.step === undefined
    ? steps.map((entry, index) => ({...entry, number: index + 1}))
    : [{...steps[input.step - 1]!, number: input.step}];
  for (const {step, description, number} of chosen) {
    deps.progress(`step ${number}/${steps.length}: ${description}`);
    try {
      await rotation.run(step);
    } catch (error) {
      if (error instanceof PreconditionError) throw error;
      throw new PreconditionError(`step ${number} (${description}) failed: ${(error as Error).message}`,
        `fix the cause and resume with --step ${number}`, 'StepFailed');
    }
  }
  const after = await readIdentity(client, input.namespace);
  const issuer = firstFacts(secretField(after.secret, layoutOf(after.secret).cert));
  const anchors = certificateBlocks(after.anchorsPem).length;
  deps.progress(`the trust roots hold ${anchors} anchor${anchors === 1 ? '' : 's'}`);
  return {steps, done: input.step === undefined || input.step === steps.length, issuer, previousIssuer};
}
