// `observability credentials grafana`: where Grafana's admin login is, and, only when asked,
// the password itself (read from the Secret that setup generated).
import type {KubeConnection} from '../../adapters/kube/client.js';
import {GRAFANA_SECRET} from '../../core/observability/charts.js';
import {PreconditionError} from '../../errors.js';
import type {ActionDeps} from '../deps.js';

export interface GrafanaCredentialsInput {
  connection: KubeConnection;
  namespace: string;
  show: boolean;
}

export interface GrafanaCredentials {
  namespace: string;
  secret: string;
  user: string;
  /** Only with --show. */
  password?: string;
}

function decoded(data: Record<string, string> | undefined, key: string): string | undefined {
  const value = data?.[key];
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
}

export async function grafanaCredentials(input: GrafanaCredentialsInput,
  deps: Pick<ActionDeps, 'connect'>): Promise<GrafanaCredentials>
{
  const client = await deps.connect(input.connection);
  const secret = await client.get({apiVersion: 'v1', kind: 'Secret', namespace: input.namespace,
    name: GRAFANA_SECRET.name});
  const data = secret?.data as Record<string, string> | undefined;
  const user = decoded(data, GRAFANA_SECRET.userKey);
  const password = decoded(data, GRAFANA_SECRET.passwordKey);
  if (user === undefined || password === undefined) {
    throw new PreconditionError(
      `no Grafana admin credentials in Secret ${input.namespace}/${GRAFANA_SECRET.name}`,
      'run sparc-mesh observability setup first (or pass -n with the namespace it used)',
      'CredentialsNotFound',
    );
  }
  return {namespace: input.namespace, secret: GRAFANA_SECRET.name, user, ...(input.show ? {password} : {})};
}
