// install linkerd: Linkerd's identity credentials as Kubernetes objects, the way its Helm
// chart takes them when an outside party manages them (identity.externalCA and
// identity.issuer.scheme=kubernetes.io/tls): the issuer in the Secret
// `linkerd-identity-issuer` (tls.crt, tls.key, ca.crt), the trust anchors in the ConfigMap
// `linkerd-identity-trust-roots`, and the anchors (public) in the chart's values as
// identityTrustAnchorsPEM. The issuer's key appears only in the Secret written by
// --output-dir; every printed form (YAML, JSON, --json) carries a placeholder instead.
import yaml from 'js-yaml';
import {loadLinkerdIdentity} from '../../adapters/certs/bring-your-own.js';
import {generateLinkerdIdentity, trustAnchorName} from '../../adapters/certs/generate.js';
import type {LinkerdIdentityCredentials} from '../../adapters/certs/types.js';
import {invalidFlag, UsageError} from '../../errors.js';
import type {KubeObject} from '../../core/objects.js';
import {parseDuration} from '../../core/duration.js';
import {dumpValues, withTrustAnchors} from '../../core/install/linkerd-install.js';
import type {ActionDeps} from '../deps.js';
import {assertSchemas} from '../render-check.js';

export const DEFAULT_TRUST_ANCHOR_VALIDITY = '87600h';
export const DEFAULT_ISSUER_VALIDITY = '8760h';
export const REDACTED_KEY = '<redacted: written only with --output-dir>';

export const VALUES_CONFIGMAP = 'sparc-mesh-linkerd-values';
/** The values an upgrade replaced, kept for --rollback. */
export const PREVIOUS_VALUES_CONFIGMAP = 'sparc-mesh-linkerd-values-previous';
export const ISSUER_SECRET = 'linkerd-identity-issuer';
export const TRUST_ROOTS_CONFIGMAP = 'linkerd-identity-trust-roots';

export interface LinkerdCertFlags {
  'trust-anchor-file'?: string;
  'issuer-cert-file'?: string;
  'issuer-key-file'?: string;
  'trust-anchor-validity'?: string;
  'issuer-validity'?: string;
}

export interface LinkerdIdentitySummary {
  source: 'generated' | 'files';
  trustDomain: string;
  trustAnchorNotAfter: string;
  issuerNotAfter: string;
}

export interface LinkerdIdentityObjects {
  /** The rendered objects with the identity objects added; the Secret holds a placeholder for its key. */
  objects: KubeObject[];
  /** The printed Secret → the same Secret with its key: only --output-dir writes it (mode 0600). */
  withheld: Map<KubeObject, KubeObject>;
  identity: LinkerdIdentitySummary;
  notes: string[];
}

function validity(flags: LinkerdCertFlags, flag: 'trust-anchor-validity' | 'issuer-validity',
  fallback: string): number
{
  const value = flags[flag] ?? fallback;
  const ms = parseDuration(value);
  if (ms === undefined) throw invalidFlag(flag, value, 'is not a duration', 'write it as 90s, 5m or 1h30m');
  if (ms <= 0) throw invalidFlag(flag, value, 'must be longer than zero', `the default is ${fallback}`);
  return ms;
}

async function credentials(flags: LinkerdCertFlags, trustDomain: string,
  now: Date): Promise<LinkerdIdentityCredentials>
{
  const [trustAnchorFile, issuerCertFile, issuerKeyFile] = [flags['trust-anchor-file'], flags['issuer-cert-file'],
    flags['issuer-key-file']];
  if (trustAnchorFile && issuerCertFile && issuerKeyFile) {
    if (flags['trust-anchor-validity'] || flags['issuer-validity']) {
      throw new UsageError(
        '--trust-anchor-validity and --issuer-validity apply only to generated credentials, not to the files given',
        'drop them: your certificates keep their own lifetimes',
        'InvalidFlag',
      );
    }
    return loadLinkerdIdentity({trustAnchorFile, issuerCertFile, issuerKeyFile}, now);
  }
  if (trustAnchorFile || issuerCertFile || issuerKeyFile) {
    throw new UsageError('--trust-anchor-file, --issuer-cert-file and --issuer-key-file go together',
      'give all three to use your own credentials, or none to have them generated', 'InvalidFlag');
  }
  const trustAnchorValidityMs = validity(flags, 'trust-anchor-validity', DEFAULT_TRUST_ANCHOR_VALIDITY);
  const issuerValidityMs = validity(flags, 'issuer-validity', DEFAULT_ISSUER_VALIDITY);
  if (issuerValidityMs > trustAnchorValidityMs) {
    throw invalidFlag('issuer-validity', flags['issuer-validity'],
      `outlives the trust anchor (--trust-anchor-validity ${
        flags['trust-anchor-validity'] ?? DEFAULT_TRUST_ANCHOR_VALIDITY
      })`, 'an issuer cannot be valid longer than the anchor that signed it');
  }
  return generateLinkerdIdentity({trustDomain, trustAnchorValidityMs, issuerValidityMs, now});
}

function issuerSecret(metadata: KubeObject['metadata'], creds: LinkerdIdentityCredentials, key: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {name: ISSUER_SECRET, ...metadata},
    type: 'kubernetes.io/tls',
    // stringData: PEM stays readable in review, and the placeholder needs no base64.
    stringData: {'tls.crt': creds.issuerCertPem, 'tls.key': key, 'ca.crt': creds.issuerCaPem},
  };
}

function day(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export interface LinkerdIdentityInput {
  /** The rendered `install linkerd`. */
  objects: readonly KubeObject[];
  flags: LinkerdCertFlags;
}

/**
 * Adds the identity credentials to a rendered `install linkerd`: generated (ECDSA P-256,
 * lifetimes from the flags, now as their start) or read from the files given.
 */
export async function addLinkerdIdentity(input: LinkerdIdentityInput,
  deps: Pick<ActionDeps, 'now'>): Promise<LinkerdIdentityObjects>
{
  const {objects: rendered, flags} = input;
  const valuesIndex = rendered.findIndex((object) =>
    object.kind === 'ConfigMap' && object.metadata.name === VALUES_CONFIGMAP
  );
  const valuesConfigMap = rendered[valuesIndex] as (KubeObject & {data: Record<string, string>}) | undefined;
  if (!valuesConfigMap) {
    throw new UsageError(
      `--templates: linkerd/control-plane.yaml renders no ConfigMap ${VALUES_CONFIGMAP}, which the trust anchor is added to`,
      'start from the built-in templates/linkerd/control-plane.yaml',
      'InvalidTemplates',
    );
  }
  const values = yaml.load(valuesConfigMap.data['values.yaml'] ?? '') as Record<string, unknown>;
  const trustDomain = String(values.identityTrustDomain);
  const creds = await credentials(flags, trustDomain, new Date(deps.now()));

  const namespace = valuesConfigMap.metadata.namespace;
  const metadata = {
    namespace,
    labels: {...valuesConfigMap.metadata.labels, 'linkerd.io/control-plane-component': 'identity',
      'linkerd.io/control-plane-ns': String(namespace)},
  };
  const withValues: KubeObject = {
    ...valuesConfigMap,
    data: {
      ...valuesConfigMap.data,
      'values.yaml': dumpValues({...withTrustAnchors(values, creds.trustAnchorsPem),
        identity: {externalCA: true, issuer: {scheme: 'kubernetes.io/tls'}}}),
    },
  };
  const trustRoots: KubeObject = {apiVersion: 'v1', kind: 'ConfigMap',
    metadata: {name: TRUST_ROOTS_CONFIGMAP, ...metadata}, data: {'ca-bundle.crt': creds.trustAnchorsPem}};
  const secret = issuerSecret(metadata, creds, creds.issuerKey.reveal());
  const printedSecret = issuerSecret(metadata, creds, REDACTED_KEY);
  const notes = await assertSchemas([withValues, secret, trustRoots], false);

  const generated = !flags['trust-anchor-file'];
  notes.push(generated
    ? `generated a trust anchor (${trustAnchorName(trustDomain)}, valid until ${
      day(creds.trustAnchorNotAfter)
    }) and an issuer (valid until ${day(creds.issuerNotAfter)}); `
      + "the anchor's key was not kept, and every run makes new ones: pass --trust-anchor-file, --issuer-cert-file and --issuer-key-file to keep an installation's credentials"
    : `using the trust anchor of ${flags['trust-anchor-file']} (valid until ${
      day(creds.trustAnchorNotAfter)
    }) and the issuer of ${flags['issuer-cert-file']} (valid until ${day(creds.issuerNotAfter)})`);

  const objects = [...rendered];
  objects.splice(valuesIndex, 1, withValues, printedSecret, trustRoots);
  return {
    objects,
    withheld: new Map([[printedSecret, secret]]),
    identity: {source: generated ? 'generated' : 'files', trustDomain,
      trustAnchorNotAfter: creds.trustAnchorNotAfter.toISOString(), issuerNotAfter: creds.issuerNotAfter.toISOString()},
    notes,
  };
}
