// `certs status` as data: the certificates found in the cluster, one row per certificate
// (a root CA copied into every namespace is one row with every place it was found), with its
// days left at `now` (passed in), whether it is expiring, and whether it fails --fail-within.
export const DAY_MS = 86_400_000;
/** Linkerd's and Istio's guidance: a CA within two months of its end is due for rotation. */
export const DEFAULT_WARN_WITHIN_DAYS = 60;

export type Mesh = 'linkerd' | 'istio';
export type CertificateRole = 'trust anchor' | 'issuer' | 'root CA' | 'CA';

/** What a certificate says about itself (src/adapters/certs/inspect.ts reads it). */
export interface CertificateFacts {
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the DER, lower-case hex: the same certificate wherever it is found. */
  sha256: string;
  ca: boolean;
}

export interface FoundCertificate {
  mesh: Mesh;
  role: CertificateRole;
  /** Where it was read, e.g. `linkerd/ConfigMap/linkerd-identity-trust-roots[ca-bundle.crt]`. */
  where: string;
  facts: CertificateFacts;
}

export type CertificateState = 'ok' | 'expiring' | 'expired';

export interface CertificateRow extends CertificateFacts {
  mesh: Mesh;
  role: CertificateRole;
  /** Whole days until notAfter, rounded down; negative once expired. */
  daysLeft: number;
  state: CertificateState;
  where: string[];
}

export interface CertificateStatus {
  rows: CertificateRow[];
  /** One line per expiring or expired certificate. */
  warnings: string[];
  /** --fail-within: the rows with fewer days left than it allows (empty without it). */
  failing: CertificateRow[];
}

export interface StatusOptions {
  now: number;
  warnWithinDays: number;
  failWithinDays?: number;
}

function state(notAfter: number, daysLeft: number, options: StatusOptions): CertificateState {
  if (notAfter <= options.now) return 'expired';
  return daysLeft < options.warnWithinDays ? 'expiring' : 'ok';
}

const ROLE_ORDER: readonly CertificateRole[] = ['trust anchor', 'issuer', 'root CA', 'CA'];

export function certificateStatus(found: readonly FoundCertificate[], options: StatusOptions): CertificateStatus {
  const byCertificate = new Map<string, CertificateRow>();
  for (const {mesh, role, where, facts} of found) {
    const key = `${mesh} ${role} ${facts.sha256}`;
    const seen = byCertificate.get(key);
    if (seen) {
      seen.where.push(where);
      continue;
    }
    const notAfter = Date.parse(facts.notAfter);
    const daysLeft = Math.floor((notAfter - options.now) / DAY_MS);
    byCertificate.set(key, {mesh, role, ...facts, daysLeft, state: state(notAfter, daysLeft, options), where: [where]});
  }
  const rows = [...byCertificate.values()].sort((a, b) =>
    a.mesh.localeCompare(b.mesh) || ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role)
    || a.notAfter.localeCompare(b.notAfter)
  );
  const warnings = rows.filter((row) => row.state !== 'ok').map((row) => (row.state === 'expired'
    ? `${row.mesh} ${row.role} ${row.subject} expired on ${row.notAfter} (${row.where[0]})`
    : `${row.mesh} ${row.role} ${row.subject} expires in ${row.daysLeft} days, on ${row.notAfter} (${
      row.where[0]
    }): rotate it`)
  );
  const {failWithinDays} = options;
  const failing = failWithinDays === undefined ? [] : rows.filter((row) => row.daysLeft < failWithinDays);
  return {rows, warnings, failing};
}

export const STATUS_COLUMNS = ['MESH', 'ROLE', 'SUBJECT', 'ISSUER', 'NOT AFTER', 'DAYS LEFT', 'WHERE'] as const;

/** The table's cells; a certificate found in many places shows the first and how many more. */
export function statusRows(status: CertificateStatus): string[][] {
  return status.rows.map((row) => [
    row.mesh,
    row.role,
    row.subject,
    row.issuer,
    row.notAfter.slice(0, 10),
    row.state === 'ok' ? String(row.daysLeft) : `${row.daysLeft} (${row.state})`,
    row.where.length > 1 ? `${row.where[0]} and ${row.where.length - 1} more` : row.where[0]!,
  ]);
}
