// KubeClient over @kubernetes/client-node. The library loads the kubeconfig and turns
// its credentials (certificates, tokens, exec plugins) into request options; requests
// themselves are plain GETs that keep the JSON as the server sent it, because the
// library's typed models drop fields they do not know and turn timestamps into Dates,
// and analysers want the objects exactly as `kubectl get -o yaml` shows them.
import http from 'node:http';
import https from 'node:https';
import {KubeConfig} from '@kubernetes/client-node';
import {ToolError, invalidFlag} from '../../base/errors.js';
import type {KubeObject} from '../../core/objects.js';
import {apiVersionOf, type KubeClient, type KubeConnection, type ListScope, type ResourceType} from './client.js';

/** Page size for list calls: large lists arrive in pages, as kubectl fetches them. */
const PAGE_SIZE = 500;

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
}

interface APIGroup {
  name: string;
  preferredVersion?: {version: string};
  versions?: {version: string}[];
}

class HttpStatusError extends Error {
  constructor(readonly status: number, readonly path: string, body: string) {
    super(`GET ${path}: HTTP ${status}${statusMessage(body)}`);
  }
}

function statusMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as {message?: unknown}).message;
    return typeof message === 'string' ? `: ${message}` : '';
  } catch {
    return '';
  }
}

function loadConfig(connection: KubeConnection): KubeConfig {
  const config = new KubeConfig();
  try {
    if (connection.kubeconfig) config.loadFromFile(connection.kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw invalidFlag('kubeconfig', connection.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config', `cannot be loaded: ${(error as Error).message}`);
  }
  if (connection.context) {
    if (!config.getContextObject(connection.context)) {
      const known = config.getContexts().map((context) => context.name).join(', ') || 'none';
      throw invalidFlag('context', connection.context, `is not a context of the kubeconfig (known: ${known})`);
    }
    config.setCurrentContext(connection.context);
  }
  if (!config.getCurrentCluster()) {
    throw invalidFlag('kubeconfig', connection.kubeconfig ?? '(default)', 'names no cluster for the current context', 'pass --context NAME or set a current context');
  }
  return config;
}

export class ClientNodeKubeClient implements KubeClient {
  private constructor(
    private readonly server: URL,
    private readonly requestOptions: https.RequestOptions,
    private readonly agent: http.Agent,
    readonly contextNamespace: string,
  ) {}

  static async connect(connection: KubeConnection): Promise<ClientNodeKubeClient> {
    const config = loadConfig(connection);
    const cluster = config.getCurrentCluster();
    const server = new URL(cluster?.server ?? '');
    const options: https.RequestOptions = {};
    await config.applyToHTTPSOptions(options);
    // One keep-alive agent: listing a large cluster is many small requests to one server.
    const agentOptions = {keepAlive: true, maxSockets: 8, ca: options.ca, cert: options.cert, key: options.key,
      rejectUnauthorized: options.rejectUnauthorized, servername: options.servername};
    const agent = server.protocol === 'http:' ? new http.Agent({keepAlive: true, maxSockets: 8}) : new https.Agent(agentOptions);
    const context = config.getContextObject(config.getCurrentContext());
    return new ClientNodeKubeClient(server, options, agent, context?.namespace || 'default');
  }

  private get<T>(apiPath: string): Promise<T> {
    const url = new URL(this.server.pathname.replace(/\/$/, '') + apiPath, this.server);
    const transport = url.protocol === 'http:' ? http : https;
    // applyToHTTPSOptions leaves a header object (tokens, exec plugins) and, for basic auth, `auth`.
    const headers: Record<string, string> = {...(this.requestOptions.headers as Record<string, string> | undefined), accept: 'application/json'};
    if (this.requestOptions.auth) headers.authorization = `Basic ${Buffer.from(this.requestOptions.auth).toString('base64')}`;
    return new Promise<T>((resolve, reject) => {
      const request = transport.get(url, {agent: this.agent, headers}, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status < 200 || status > 299) return reject(new HttpStatusError(status, apiPath, body));
          try {
            resolve(JSON.parse(body) as T);
          } catch (error) {
            reject(error as Error);
          }
        });
      });
      request.on('error', reject);
    });
  }

  /** Failures of the API server are external failures (exit 1), reported with the request that failed. */
  private async call<T>(apiPath: string): Promise<T> {
    try {
      return await this.get<T>(apiPath);
    } catch (error) {
      const status = error instanceof HttpStatusError ? error.status : undefined;
      throw new ToolError('kube-apiserver', ['GET', `${this.server.origin}${apiPath}`], status, (error as Error).message,
        `Kubernetes API request failed: ${(error as Error).message}`);
    }
  }

  async discover(groups: readonly string[]): Promise<ResourceType[]> {
    const wanted = new Set(groups);
    const served = (await this.call<{groups?: APIGroup[]}>('/apis')).groups ?? [];
    const versions: {group: string; version: string}[] = wanted.has('') ? [{group: '', version: 'v1'}] : [];
    for (const group of served) {
      const version = group.preferredVersion?.version ?? group.versions?.[0]?.version;
      if (wanted.has(group.name) && version) versions.push({group: group.name, version});
    }
    const lists = await Promise.all(versions.map(async ({group, version}) => {
      const base = group === '' ? '/api/v1' : `/apis/${group}/${version}`;
      const resources = (await this.call<{resources?: APIResource[]}>(base)).resources ?? [];
      // Sub-resources (`pods/log`) and types that cannot be listed are not objects to analyse.
      return resources
        .filter((resource) => !resource.name.includes('/') && (resource.verbs ?? []).includes('list'))
        .map((resource) => ({group, version, kind: resource.kind, plural: resource.name, namespaced: resource.namespaced}));
    }));
    return lists.flat();
  }

  async list(type: ResourceType, scope: ListScope): Promise<KubeObject[]> {
    const prefix = type.group === '' ? '/api/v1' : `/apis/${type.group}/${type.version}`;
    const where = type.namespaced && scope.namespace ? `/namespaces/${encodeURIComponent(scope.namespace)}` : '';
    const objects: KubeObject[] = [];
    let continueToken: string | undefined;
    do {
      const query = new URLSearchParams({limit: String(PAGE_SIZE)});
      if (continueToken) query.set('continue', continueToken);
      const page = await this.call<{items?: KubeObject[]; metadata?: {continue?: string}}>(`${prefix}${where}/${type.plural}?${query}`);
      // Items of built-in lists come without apiVersion and kind; the list request tells them.
      for (const item of page.items ?? []) objects.push({...item, apiVersion: apiVersionOf(type), kind: type.kind});
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return objects;
  }
}
