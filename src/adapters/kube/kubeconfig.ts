// Whether there is any kubeconfig to connect with. With none anywhere, @kubernetes/client-node
// falls back to http://localhost:8080 and the user would see a connection error about a
// server they never named; commands that need a cluster say what is missing instead.
import {existsSync} from 'node:fs';
import {homedir} from 'node:os';
import {join} from 'node:path';
import {UsageError} from '../../base/errors.js';
import type {KubeConnection} from './client.js';

export function assertSomeKubeconfig(connection: KubeConnection, hint = 'pass --kubeconfig FILE'): void {
  if (connection.kubeconfig || process.env.KUBECONFIG || process.env.KUBERNETES_SERVICE_HOST) return;
  if (existsSync(join(homedir(), '.kube', 'config'))) return;
  throw new UsageError('no kubeconfig found ($KUBECONFIG is unset, ~/.kube/config does not exist) and not running inside a cluster', hint, 'NoKubeconfig');
}
