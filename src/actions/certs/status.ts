// `certs status`: reads where each mesh keeps its CA certificates and reports them (core/certs/
// status.ts). Linkerd: the trust anchors (ConfigMap linkerd-identity-trust-roots) and the issuer
// (Secret linkerd-identity-issuer, its certificate only). Istio: the root CA that istiod copies
// into every namespace (ConfigMaps istio-ca-root-cert), a CA you plugged in (Secret cacerts) or
// the self-signed one istiod made (Secret istio-ca-secret). Of a Secret only the certificate
// fields are decoded; its key is never read into anything reported.
import type {KubeClient, KubeConnection} from '../../adapters/kube/client.js';
import {readCertificates} from '../../adapters/certs/inspect.js';
import {certificateStatus, type CertificateRole, type CertificateStatus, type FoundCertificate,
  type Mesh} from '../../core/certs/status.js';
import type {KubeObject} from '../../core/objects.js';
import type {ActionDeps} from '../deps.js';
import {ISSUER_SECRET, TRUST_ROOTS_CONFIGMAP} from '../install/linkerd-certs.js';

export const ISTIO_ROOT_CONFIGMAP = 'istio-ca-root-cert';
/** istiod labels the ConfigMaps it copies into namespaces with this. */
const ISTIO_ROOT_SELECTOR = 'istio.io/config=true';

export interface CertsStatusInput {
  connection: KubeConnection;
  linkerdNamespace: string;
  istioNamespace: string;
  warnWithinDays: number;
  failWithinDays?: number;
}

export interface CertsStatusResult extends CertificateStatus {
  /** What was looked at and held no readable certificate. */
  problems: string[];
}

/** One field of an object that may hold certificates: its PEM, and the role of each certificate in it. */
interface CertificateField {
  mesh: Mesh;
  object: KubeObject | undefined;
  /** The first of these keys that the object has is read. */
  keys: readonly string[];
  role: (index: number, selfSigned: boolean) => CertificateRole;
  /** Only the first certificate (a chain file: the rest are its CAs, reported elsewhere). */
  firstOnly?: boolean;
}

function fieldText(object: KubeObject, key: string): string | undefined {
  if (object.kind === 'Secret') {
    const value = (object as {data?: Record<string, string>}).data?.[key];
    return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
  }
  return (object as {data?: Record<string, string>}).data?.[key];
}

function whereOf(object: KubeObject, key: string): string {
  return `${object.metadata.namespace}/${object.kind}/${object.metadata.name}[${key}]`;
}

function readField(field: CertificateField, found: FoundCertificate[], problems: string[]): void {
  const {object} = field;
  if (!object) return;
  const key = field.keys.find((candidate) => fieldText(object, candidate) !== undefined);
  if (!key) {
    problems.push(`${whereOf(object, field.keys.join('|'))}: no such key`);
    return;
  }
  const where = whereOf(object, key);
  const certificates = readCertificates(fieldText(object, key)!);
  if (certificates.length === 0) problems.push(`${where}: holds no PEM certificate`);
  for (const [index, certificate] of (field.firstOnly ? certificates.slice(0, 1) : certificates).entries()) {
    if ('unreadable' in certificate) {
      problems.push(`${where}: certificate ${certificate.unreadable} is not a valid X.509 certificate`);
      continue;
    }
    found.push({mesh: field.mesh, role: field.role(index, certificate.facts.subject === certificate.facts.issuer),
      where, facts: certificate.facts});
  }
}

async function istioRootConfigMaps(client: KubeClient): Promise<KubeObject[]> {
  const configMaps = await client.list(await client.resourceType('v1', 'ConfigMap'), {
    labelSelector: ISTIO_ROOT_SELECTOR,
  });
  return configMaps.filter((configMap) => configMap.metadata.name === ISTIO_ROOT_CONFIGMAP);
}

export async function certsStatus(input: CertsStatusInput,
  deps: Pick<ActionDeps, 'connect' | 'now'>): Promise<CertsStatusResult>
{
  const client = await deps.connect(input.connection);
  const get = (kind: string, namespace: string, name: string) => client.get({apiVersion: 'v1', kind, namespace, name});
  const [trustRoots, issuer, cacerts, istioSelfSigned, istioRoots] = await Promise.all([
    get('ConfigMap', input.linkerdNamespace, TRUST_ROOTS_CONFIGMAP),
    get('Secret', input.linkerdNamespace, ISSUER_SECRET),
    get('Secret', input.istioNamespace, 'cacerts'),
    get('Secret', input.istioNamespace, 'istio-ca-secret'),
    istioRootConfigMaps(client),
  ]);
  const caOrRoot = (_index: number, selfSigned: boolean): CertificateRole => (selfSigned ? 'root CA' : 'CA');
  const fields: CertificateField[] = [
    {mesh: 'linkerd', object: trustRoots, keys: ['ca-bundle.crt'], role: () => 'trust anchor'},
    // kubernetes.io/tls (cert-manager, sparc-mesh) or linkerd.io/tls (the CLI's own scheme).
    {mesh: 'linkerd', object: issuer, keys: ['tls.crt', 'crt.pem'], role: () => 'issuer', firstOnly: true},
    {mesh: 'istio', object: cacerts, keys: ['root-cert.pem'], role: () => 'root CA'},
    {mesh: 'istio', object: cacerts, keys: ['ca-cert.pem'], role: caOrRoot, firstOnly: true},
    {mesh: 'istio', object: istioSelfSigned, keys: ['ca-cert.pem'], role: caOrRoot, firstOnly: true},
    ...istioRoots.map((object): CertificateField => ({mesh: 'istio', object, keys: ['root-cert.pem'],
      role: () => 'root CA'})
    ),
  ];
  const found: FoundCertificate[] = [];
  const problems: string[] = [];
  for (const field of fields) readField(field, found, problems);
  return {
    ...certificateStatus(found, {now: deps.now(), warnWithinDays: input.warnWithinDays,
      failWithinDays: input.failWithinDays}),
    problems,
  };
}
