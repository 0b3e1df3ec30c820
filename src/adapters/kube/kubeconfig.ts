// A kubeconfig reader for the plain cases: client certificates, bearer tokens, basic auth.
// Loading @kubernetes/client-node costs seconds of start-up (it brings its whole generated
// API), which a one-shot CLI pays on every run; it is loaded only for what this does not
// handle (exec plugins, auth providers, proxies), where its implementation is the one to trust.
import {existsSync, readFileSync} from 'node:fs';
import {homedir} from 'node:os';
import {delimiter, dirname, isAbsolute, join, resolve} from 'node:path';
import yaml from 'js-yaml';
import {invalidFlag, UsageError} from '../../errors.js';
import {documentShapeProblem} from '../../core/input-limits.js';
import {readTextWithin} from '../files/limited-read.js';
import type {KubeConnection} from './contract.js';

/** What requests need: where the server is, how to trust it and who we are. */
export interface ResolvedConnection {
  server: string;
  contextName: string;
  contextNamespace: string;
  /** Where it came from, for error messages. */
  source: string;
  tls: {ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized: boolean; servername?: string};
  headers: Record<string, string>;
}

interface Config {
  'current-context'?: string;
  clusters?: {name: string; cluster?: Record<string, unknown>}[];
  users?: {name: string; user?: Record<string, unknown>}[];
  contexts?: {name: string; context?: Record<string, unknown>}[];
}

/** One named cluster, user or context, with the resolver of paths relative to its file. */
interface Entry {
  fields: Record<string, unknown>;
  at: (path: unknown) => string | undefined;
}

interface LoadedFile {
  config: Config;
  at: Entry['at'];
}

/** The kubeconfig files kubectl would read, in its order of precedence. */
export function kubeconfigFiles(connection: KubeConnection): string[] {
  if (connection.kubeconfig) return [connection.kubeconfig];
  const fromEnv = (process.env.KUBECONFIG ?? '').split(delimiter).filter(Boolean);
  return fromEnv.length ? fromEnv : [join(homedir(), '.kube', 'config')];
}

function entries(files: LoadedFile[], list: 'clusters' | 'users' | 'contexts',
  field: 'cluster' | 'user' | 'context'): Map<string, Entry>
{
  const map = new Map<string, Entry>();
  // The first file to define a name wins, as kubectl merges.
  for (const {config, at} of files) {
    for (const item of (config[list] ?? []) as {name: string; [key: string]: unknown}[]) {
      if (!map.has(item.name)) map.set(item.name, {fields: (item[field] ?? {}) as Record<string, unknown>, at});
    }
  }
  return map;
}

const base64 = (value: unknown) => (typeof value === 'string' ? Buffer.from(value, 'base64') : undefined);

function loadFiles(files: readonly string[]): LoadedFile[] {
  return files.map((file): LoadedFile => {
    let config: Config;
    try {
      config = (yaml.load(readTextWithin(file)) ?? {}) as Config;
    } catch (error) {
      // js-yaml's message quotes the lines around the error, and a kubeconfig holds credentials: the reason and line only.
      const {reason, mark} = error as {reason?: string; mark?: {line?: number}};
      const problem = reason === undefined ? (error as Error).message : `${reason} at line ${(mark?.line ?? 0) + 1}`;
      throw invalidFlag('kubeconfig', file, `cannot be loaded: ${problem}`);
    }
    const overLimit = documentShapeProblem(config);
    if (overLimit) throw invalidFlag('kubeconfig', file, `cannot be loaded: it ${overLimit}`);
    // Relative paths in a kubeconfig are relative to the file.
    const at = (
      path: unknown,
    ) => (typeof path === 'string' ? (isAbsolute(path) ? path : resolve(dirname(file), path)) : undefined);
    return {config, at};
  });
}

/** Files named by $KUBECONFIG that do not exist are skipped, as kubectl skips them. */
const existingFiles = (connection: KubeConnection) =>
  kubeconfigFiles(connection).filter((file) => connection.kubeconfig || existsSync(file));

/**
 * Refuses kubeconfig files over the input limits before @kubernetes/client-node reads them
 * (it has no limits of its own); the files are small, so reading them twice costs nothing.
 */
export function assertKubeconfigWithinLimits(connection: KubeConnection): void {
  loadFiles(existingFiles(connection));
}

/** Every context of the kubeconfig, in kubectl's merge order (for --all-contexts). */
export function contextNames(connection: KubeConnection): string[] {
  return [...entries(loadFiles(existingFiles(connection)), 'contexts', 'context').keys()];
}

/**
 * Reads the kubeconfig; undefined when there is none, or its user needs what only client-node
 * implements (exec, auth-provider), or the cluster goes through a proxy.
 */
export function resolveConnection(connection: KubeConnection): ResolvedConnection | undefined {
  const files = existingFiles(connection);
  // No kubeconfig at all: in-cluster configuration, which client-node knows.
  if (files.length === 0) return undefined;
  const source = files.join(delimiter);
  const configs = loadFiles(files);
  const contexts = entries(configs, 'contexts', 'context');
  const contextName = connection.context ?? configs.map(({config}) => config['current-context']).find(Boolean) ?? '';
  const context = contexts.get(contextName)?.fields;
  if (!context) {
    if (connection.context) {
      throw invalidFlag('context', connection.context,
        `is not a context of the kubeconfig (known: ${[...contexts.keys()].join(', ') || 'none'})`);
    }
    throw invalidFlag('kubeconfig', source, 'names no current context', 'pass --context NAME or set a current context');
  }
  const cluster = entries(configs, 'clusters', 'cluster').get(String(context.cluster ?? ''));
  const user = entries(configs, 'users', 'user').get(String(context.user ?? ''));
  const clusterFields = cluster?.fields ?? {};
  const userFields = user?.fields ?? {};
  if (typeof clusterFields.server !== 'string') {
    throw invalidFlag('kubeconfig', source, `names no server for context ${contextName}`);
  }
  if (userFields.exec || userFields['auth-provider'] || clusterFields['proxy-url']) return undefined;
  const read = (data: unknown, file: unknown, at?: (path: unknown) => string | undefined) =>
    base64(data) ?? (at?.(file) ? readFileSync(at(file)!) : undefined);
  const headers: Record<string, string> = {};
  const tokenFile = user?.at(userFields.tokenFile);
  const token = typeof userFields.token === 'string'
    ? userFields.token
    : tokenFile
    ? readFileSync(tokenFile, 'utf8').trim()
    : undefined;
  if (token) headers.authorization = `Bearer ${token}`;
  else if (typeof userFields.username === 'string') {
    headers.authorization = `Basic ${
      Buffer.from(`${userFields.username}:${String(userFields.password ?? '')}`).toString('base64')
    }`;
  }
  return {
    server: clusterFields.server,
    contextName,
    contextNamespace: typeof context.namespace === 'string' && context.namespace ? context.namespace : 'default',
    source,
    headers,
    tls: {
      ca: read(clusterFields['certificate-authority-data'], clusterFields['certificate-authority'], cluster?.at),
      cert: read(userFields['client-certificate-data'], userFields['client-certificate'], user?.at),
      key: read(userFields['client-key-data'], userFields['client-key'], user?.at),
      rejectUnauthorized: clusterFields['insecure-skip-tls-verify'] !== true,
      ...(typeof clusterFields['tls-server-name'] === 'string' ? {servername: clusterFields['tls-server-name']} : {}),
    },
  };
}

// Whether there is any kubeconfig to connect with. With none anywhere, @kubernetes/client-node
// falls back to http://localhost:8080 and the user would see a connection error about a
// server they never named; commands that need a cluster say what is missing instead.
export function assertSomeKubeconfig(connection: KubeConnection, hint = 'pass --kubeconfig FILE'): void {
  if (connection.kubeconfig || process.env.KUBECONFIG || process.env.KUBERNETES_SERVICE_HOST) return;
  if (existsSync(join(homedir(), '.kube', 'config'))) return;
  throw new UsageError(
    'no kubeconfig found ($KUBECONFIG is unset, ~/.kube/config does not exist) and not running inside a cluster',
    hint,
    'NoKubeconfig',
  );
}
