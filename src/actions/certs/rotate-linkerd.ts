// `certs rotate linkerd --issuer`: signs a new issuer with a trust anchor the proxies already
// trust (its key from --trust-anchor-key) and replaces the issuer Secret in place. Linkerd's
// identity controller watches that Secret and signs with the new issuer from then on; proxies
// keep their certificates (from the old issuer, same anchor) until their 24-hour renewal, so
// nothing restarts and nothing loses trust. The new key goes only into the Secret; the old one
// is overwritten there. Neither key is ever in the result, the progress lines or an error.
import type {KeyObject} from 'node:crypto';
import type {KubeClient, KubeConnection} from '../../adapters/kube/client.js';
import {certificateOfKey, loadCaCertificates, loadSigningKey} from '../../adapters/certs/bring-your-own.js';
import {issuerName, renewIssuer} from '../../adapters/certs/generate.js';
import {readCertificates} from '../../adapters/certs/inspect.js';
import type {CertificateFacts} from '../../core/certs/status.js';
import {describeRotationStep, issuerRotationSteps, type IdentityObjects,
  type RotationStep} from '../../core/certs/linkerd-rotation.js';
import type {KubeObject} from '../../core/objects.js';
import {invalidFlag, PreconditionError, UsageError} from '../../errors.js';
import type {ActionDeps} from '../deps.js';
import {ISSUER_SECRET, TRUST_ROOTS_CONFIGMAP} from '../install/linkerd-certs.js';

export interface RotateIssuerInput {
  connection: KubeConnection;
  namespace: string;
  trustAnchorKeyFile?: string;
  /** The anchor to sign with; default: the anchor of the cluster's bundle that the key belongs to. */
  trustAnchorFile?: string;
  issuerValidityMs: number;
  /** The flag's text, for messages. */
  issuerValidity: string;
  plan: boolean;
}

export interface RotationResult {
  steps: {step: RotationStep; description: string}[];
  done: boolean;
  /** The issuer now in the Secret (after a rotation) and the one it replaced. */
  issuer?: CertificateFacts;
  previousIssuer?: CertificateFacts;
}

/** The Secret's fields in each of Linkerd's issuer schemes. */
const LAYOUTS = {
  'kubernetes.io/tls': {cert: 'tls.crt', key: 'tls.key', ca: 'ca.crt'},
  'linkerd.io/tls': {cert: 'crt.pem', key: 'key.pem', ca: undefined},
} as const;

type Layout = (typeof LAYOUTS)[keyof typeof LAYOUTS];

export function layoutOf(secret: KubeObject): Layout {
  return (secret as {type?: string}).type === 'kubernetes.io/tls'
    ? LAYOUTS['kubernetes.io/tls']
    : LAYOUTS['linkerd.io/tls'];
}

export function secretField(secret: KubeObject | undefined, key: string): string | undefined {
  const value = (secret as {data?: Record<string, string>} | undefined)?.data?.[key];
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
}

export function firstFacts(pem: string | undefined): CertificateFacts | undefined {
  const first = readCertificates(pem ?? '')[0];
  return first && 'facts' in first ? first.facts : undefined;
}

export const identityObjects = (namespace: string): IdentityObjects => ({issuerSecret: `${namespace}/${ISSUER_SECRET}`,
  trustRoots: `${namespace}/${TRUST_ROOTS_CONFIGMAP}`});

/** The trust roots and the issuer Secret; a missing one means Linkerd's identity is not installed there (or not with external credentials). */
export async function readIdentity(client: KubeClient,
  namespace: string): Promise<{anchorsPem: string; secret: KubeObject}>
{
  const [trustRoots, secret] = await Promise.all([
    client.get({apiVersion: 'v1', kind: 'ConfigMap', namespace, name: TRUST_ROOTS_CONFIGMAP}),
    client.get({apiVersion: 'v1', kind: 'Secret', namespace, name: ISSUER_SECRET}),
  ]);
  const anchorsPem = (trustRoots as {data?: Record<string, string>} | undefined)?.data?.['ca-bundle.crt'];
  if (!anchorsPem || !secret) {
    throw new PreconditionError(
      `Linkerd's identity credentials are not in namespace ${namespace}: ${
        !anchorsPem ? `ConfigMap ${TRUST_ROOTS_CONFIGMAP} with ca-bundle.crt` : `Secret ${ISSUER_SECRET}`
      } is missing`,
      'pass --linkerd-namespace if Linkerd runs elsewhere; sparc-mesh install linkerd writes both',
    );
  }
  return {anchorsPem, secret};
}

/** The anchor that signs: the one of --trust-anchor-file, or the cluster's anchor the key belongs to. Either must be one the proxies trust. */
function signingAnchor(input: RotateIssuerInput, key: KeyObject, anchorsPem: string,
  now: Date): {pem: string; subject: string}
{
  const trusted = readCertificates(anchorsPem).flatMap((
    certificate,
  ) => ('facts' in certificate ? [certificate.facts.sha256] : []));
  if (input.trustAnchorFile) {
    const [anchor] = loadCaCertificates('trust-anchor-file', input.trustAnchorFile, now);
    const facts = firstFacts(anchor!.pem)!;
    if (!trusted.includes(facts.sha256)) {
      throw new UsageError(
        `--trust-anchor-file: ${input.trustAnchorFile}: its certificate (${facts.subject}) is not among the trust anchors of ConfigMap ${input.namespace}/${TRUST_ROOTS_CONFIGMAP}, so proxies would not trust an issuer it signs`,
        'rotate the trust anchor instead: sparc-mesh certs rotate linkerd --trust-anchor --plan',
        'InvalidFile',
      );
    }
    if (!certificateOfKey(key, anchor!.pem)) {
      throw new UsageError(
        `--trust-anchor-key: ${input.trustAnchorKeyFile}: is not the key of the certificate in --trust-anchor-file ${input.trustAnchorFile}`,
        undefined,
        'InvalidFile',
      );
    }
    return {pem: anchor!.pem, subject: facts.subject};
  }
  const anchor = certificateOfKey(key, anchorsPem);
  if (!anchor) {
    throw new UsageError(
      `--trust-anchor-key: ${input.trustAnchorKeyFile}: is not the key of any trust anchor in ConfigMap ${input.namespace}/${TRUST_ROOTS_CONFIGMAP}`,
      'give the key of the anchor Linkerd was installed with; if it was not kept, rotate the trust anchor instead (--trust-anchor)',
      'InvalidFile',
    );
  }
  return anchor;
}

/** The new issuer keeps the old one's name (identity.linkerd.<trust domain>). */
function issuerSubject(previous: CertificateFacts | undefined): string {
  const name = previous?.subject.match(/^CN=([^,]+)$/)?.[1];
  return name ?? issuerName('cluster.local');
}

export interface IssuerReplacement {
  namespace: string;
  /** The issuer Secret as read before: its layout and the old issuer's name are kept. */
  secret: KubeObject;
  anchor: {pem: string};
  key: KeyObject;
  validityMs: number;
  now: Date;
}

/** Signs a new issuer and writes it, with its key, over the old one in the Secret; the new issuer's facts once the API server holds it. */
export async function replaceIssuer(client: KubeClient, replacement: IssuerReplacement): Promise<CertificateFacts> {
  const {namespace, secret, anchor} = replacement;
  const layout = layoutOf(secret);
  const renewed = await renewIssuer({anchorPem: anchor.pem, anchorKey: replacement.key,
    subject: issuerSubject(firstFacts(secretField(secret, layout.cert))), validityMs: replacement.validityMs,
    now: replacement.now});
  const data: Record<string, string> = {[layout.cert]: renewed.issuerCertPem, [layout.key]: renewed.issuerKey.reveal()};
  if (layout.ca) data[layout.ca] = anchor.pem;
  const ref = {apiVersion: 'v1', kind: 'Secret', namespace, name: ISSUER_SECRET};
  await client.mergePatch(ref, {
    data: Object.fromEntries(
      Object.entries(data).map(([field, value]) => [field, Buffer.from(value).toString('base64')]),
    ),
  });
  const issuer = firstFacts(renewed.issuerCertPem)!;
  if (firstFacts(secretField(await client.get(ref), layout.cert))?.sha256 !== issuer.sha256) {
    throw new PreconditionError(
      `Secret ${namespace}/${ISSUER_SECRET} does not hold the new issuer after the update: something else writes it (cert-manager?)`,
      'let that writer rotate the issuer, or stop it first',
    );
  }
  return issuer;
}

/** --issuer-validity against the anchor that will sign: an issuer may not outlive it. */
export function checkIssuerValidity(input: {issuerValidityMs: number; issuerValidity: string}, anchor: CertificateFacts,
  now: Date): void
{
  if (now.getTime() + input.issuerValidityMs > Date.parse(anchor.notAfter)) {
    throw invalidFlag('issuer-validity', input.issuerValidity,
      `outlives the trust anchor ${anchor.subject} (valid until ${anchor.notAfter})`,
      'an issuer cannot be valid longer than the anchor that signed it');
  }
}

export async function rotateLinkerdIssuer(input: RotateIssuerInput,
  deps: Pick<ActionDeps, 'connect' | 'now' | 'progress'>): Promise<RotationResult>
{
  if (!input.trustAnchorKeyFile) {
    throw new UsageError(
      '--trust-anchor-key is required with --issuer: the new issuer is signed by the trust anchor, with its key',
      'pass the key file of the anchor in linkerd-identity-trust-roots (mode 0600)',
      'MissingFlag',
    );
  }
  const now = new Date(deps.now());
  const key = loadSigningKey('trust-anchor-key', input.trustAnchorKeyFile);
  const client = await deps.connect(input.connection);
  const {anchorsPem, secret} = await readIdentity(client, input.namespace);
  const anchor = signingAnchor(input, key, anchorsPem, now);
  const anchorFacts = firstFacts(anchor.pem)!;
  checkIssuerValidity(input, anchorFacts, now);
  const layout = layoutOf(secret);
  const previousIssuer = firstFacts(secretField(secret, layout.cert));
  const steps = issuerRotationSteps(identityObjects(input.namespace), anchorFacts.subject).map((step) => ({step,
    description: describeRotationStep(step)})
  );
  if (input.plan) return {steps, done: false, previousIssuer};

  deps.progress(`step 1/1: ${steps[0]!.description}`);
  const issuer = await replaceIssuer(client, {namespace: input.namespace, secret, anchor, key,
    validityMs: input.issuerValidityMs, now});
  return {steps, done: true, issuer, previousIssuer};
}
