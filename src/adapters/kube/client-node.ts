// KubeClient over plain HTTPS. Credentials come from the kubeconfig: read by kubeconfig.ts
// for certificates, tokens and basic auth, and by @kubernetes/client-node (loaded only then:
// it costs seconds of start-up) for exec plugins, auth providers and in-cluster config.
// Requests keep the JSON as the server sent it, because the library's typed models drop
// fields they do not know and turn timestamps into Dates, and analysers want the objects
// exactly as `kubectl get -o yaml` shows them.
import {readFileSync} from 'node:fs';
import https from 'node:https';
import {createSecureContext} from 'node:tls';
import {join} from 'node:path';
import type {Duplex} from 'node:stream';
import type {KubeConfig} from '@kubernetes/client-node';
import {ToolError, UsageError, invalidFlag} from '../../errors.js';
import type {KubeObject} from '../../core/objects.js';
import {displayName, groupOf, versionOf, type ResourceRef} from '../../core/objects.js';
import {ApplyConflictError, FIELD_MANAGER, KindNotServedError, apiVersionOf, type AccessCheck, type ApplyOptions,
  type ContainerLog, type DeleteOptions, type FieldConflict, type KubeClient, type KubeConnection, type ListScope,
  type LogOptions, type MergePatchOptions, type NamespacedName, type ResourceType,
  type ServerVersion} from './contract.js';
import {resourcePath} from './api-path.js';
import {Discovery} from './discovery.js';
import {apiTransport, UnreachableError, type ApiTransport} from './api-transport.js';
import {assertKubeconfigWithinLimits, kubeconfigFiles, resolveConnection,
  type ResolvedConnection} from './kubeconfig.js';
import {PACKAGE_ROOT} from '../../package-root.js';

/**
 * Page size for list calls: large lists arrive in pages, as kubectl fetches them, but in
 * pages of 2,000 rather than kubectl's 500: validate -A lists whole clusters, and pages are
 * fetched one after another (2,000 kwok pods: listing 1.1-1.4 s with 500, 1.0-1.1 s with 2,000).
 */
const PAGE_SIZE = 2000;

/**
 * Who is asking, as kubectl says it (`kubectl/v1.36.3 (linux/amd64)`), so that the API server's
 * audit log and priority rules can tell sparc-mesh's requests apart: Node sends no user agent.
 */
function userAgent(): string {
  const {version} = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as {version: string};
  return `sparc-mesh/v${version} (${process.platform}/${process.arch})`;
}

const POD_TYPE = {group: '', version: 'v1', plural: 'pods', namespaced: true};

/** Paths every Kubernetes API server answers. */
const DISCOVERY_PATHS = new Set(['/version', '/api', '/api/v1', '/apis']);

class HttpStatusError extends Error {
  constructor(readonly status: number, method: string, path: string, readonly body: string,
    readonly retryAfterSeconds?: number)
  {
    super(`${method} ${path}: HTTP ${status}${statusMessage(body)}`);
  }
}

/**
 * A 429 means the server did not take the request up (priority and fairness, or a CRD's storage
 * still initialising just after it was created); client-go waits the Retry-After it gives and
 * asks again, up to 10 times. So do we, waiting at most 5 s a time.
 */
const MAX_TOO_MANY_REQUESTS_RETRIES = 10;

function retryDelayMs(error: unknown, attempt: number): number | undefined {
  if (!(error instanceof HttpStatusError) || error.status !== 429 || attempt >= MAX_TOO_MANY_REQUESTS_RETRIES) {
    return undefined;
  }
  return Math.min(error.retryAfterSeconds ?? 1, 5) * 1000;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

interface Request {
  method?: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  query?: Record<string, string | undefined>;
  body?: unknown;
  contentType?: string;
  /** The answer is text, not JSON: read at most this many bytes of it and resolve with a ContainerLog. */
  textLimit?: number;
  /** The Accept header of a JSON answer, when not plain JSON (discovery's aggregated documents). */
  accept?: string;
}

function statusMessage(body: string): string {
  try {
    const message = (JSON.parse(body) as {message?: unknown}).message;
    return typeof message === 'string' ? `: ${message}` : '';
  } catch {
    return '';
  }
}

async function loadConfig(connection: KubeConnection): Promise<KubeConfig> {
  const {KubeConfig} = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  assertKubeconfigWithinLimits(connection);
  try {
    if (connection.kubeconfig) config.loadFromFile(connection.kubeconfig);
    else config.loadFromDefault();
  } catch (error) {
    throw invalidFlag('kubeconfig', connection.kubeconfig ?? process.env.KUBECONFIG ?? '~/.kube/config',
      `cannot be loaded: ${(error as Error).message}`);
  }
  if (connection.context) {
    if (!config.getContextObject(connection.context)) {
      const known = config.getContexts().map((context) => context.name).join(', ') || 'none';
      throw invalidFlag('context', connection.context, `is not a context of the kubeconfig (known: ${known})`);
    }
    config.setCurrentContext(connection.context);
  }
  if (!config.getCurrentCluster()) {
    throw invalidFlag('kubeconfig', connection.kubeconfig ?? '(default)', 'names no cluster for the current context',
      'pass --context NAME or set a current context');
  }
  return config;
}

/** The connection as client-node resolves it, for credentials kubeconfig.ts does not handle. */
async function resolveWithClientNode(connection: KubeConnection): Promise<ResolvedConnection> {
  const config = await loadConfig(connection);
  const options: https.RequestOptions = {};
  await config.applyToHTTPSOptions(options);
  const headers = {...(options.headers as Record<string, string> | undefined)};
  if (options.auth) headers.authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
  const toBuffer = (value: unknown) => (value === undefined ? undefined : Buffer.from(value as string | Buffer));
  return {
    server: config.getCurrentCluster()?.server ?? '',
    contextName: config.getCurrentContext(),
    contextNamespace: config.getContextObject(config.getCurrentContext())?.namespace || 'default',
    source: kubeconfigFiles(connection).join(':'),
    headers,
    tls: {ca: toBuffer(options.ca), cert: toBuffer(options.cert), key: toBuffer(options.key),
      rejectUnauthorized: options.rejectUnauthorized !== false,
      ...(options.servername ? {servername: options.servername} : {})},
  };
}

export class ClientNodeKubeClient implements KubeClient {
  private readonly discovery = new Discovery(async (path, accept) => {
    try {
      return await this.send(path, {accept});
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404 && !DISCOVERY_PATHS.has(path)) return undefined;
      throw this.failure(error, path, {});
    }
  });

  private constructor(
    private readonly server: URL,
    private readonly requestOptions: https.RequestOptions,
    private readonly transport: ApiTransport,
    readonly contextNamespace: string,
    /** Named in connection errors, so the user sees which cluster could not be reached. */
    private readonly origin: string,
    private readonly requestTimeoutMs: number,
  ) {}

  static async connect(connection: KubeConnection): Promise<ClientNodeKubeClient> {
    const resolved = resolveConnection(connection) ?? (await resolveWithClientNode(connection));
    const server = new URL(resolved.server);
    const options: https.RequestOptions = {headers: {'user-agent': userAgent(), ...resolved.headers}, ...resolved.tls};
    // Every connection of the run shares one TLS context: made per connection, parsing the CA and
    // the client's key and certificate again is a sizeable share of a short command's CPU.
    const {ca, cert, key, ...verification} = resolved.tls;
    const transport = apiTransport(server, {...verification, secureContext: createSecureContext({ca, cert, key})});
    const origin = `context "${resolved.contextName}" of kubeconfig ${resolved.source}`;
    return new ClientNodeKubeClient(server, options, transport, resolved.contextNamespace, origin,
      connection.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
  }

  /** One request, asked again while the server answers 429 (see retryDelayMs). */
  private async send<T>(apiPath: string, request: Request): Promise<T> {
    for (let attempt = 0;; attempt++) {
      try {
        return await this.sendOnce<T>(apiPath, request);
      } catch (error) {
        const delay = retryDelayMs(error, attempt);
        if (delay === undefined) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  private async sendOnce<T>(apiPath: string, request: Request): Promise<T> {
    const method = request.method ?? 'GET';
    const url = new URL(this.server.pathname.replace(/\/$/, '') + apiPath, this.server);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = {...(this.requestOptions.headers as Record<string, string> | undefined),
      accept: request.textLimit === undefined ? request.accept ?? 'application/json' : 'text/plain, */*'};
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    if (body !== undefined) {
      headers['content-type'] = request.contentType ?? 'application/json';
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    const limit = request.textLimit;
    // A server that ignores limitBytes is not read past it either.
    const answer = await this.transport.send({method, url, headers, body, readLimit: limit,
      timeoutMs: this.requestTimeoutMs});
    if (answer.stopped) return {text: answer.body.subarray(0, limit).toString('utf8'), cut: true} as T;
    const text = answer.body.toString('utf8');
    if (answer.status < 200 || answer.status > 299) {
      throw new HttpStatusError(answer.status, method, apiPath, text, answer.retryAfterSeconds);
    }
    if (limit !== undefined) return {text, cut: answer.body.length >= limit} as T;
    return JSON.parse(text) as T;
  }

  /** Failures of the API server are external failures (exit 1), reported with the request that failed. */
  private async call<T>(apiPath: string, request: Request = {}): Promise<T> {
    try {
      return await this.send<T>(apiPath, request);
    } catch (error) {
      throw this.failure(error, apiPath, request);
    }
  }

  private failure(error: unknown, apiPath: string, request: Request, object?: string): ToolError | UsageError {
    const status = error instanceof HttpStatusError ? error.status : undefined;
    if (status === 404 && DISCOVERY_PATHS.has(apiPath)) return this.notAnApiServer(apiPath);
    const message = error instanceof UnreachableError
      ? `cannot reach ${this.server.origin} (${this.origin}): ${error.message}`
      : (error as Error).message;
    return new ToolError('kube-apiserver', [request.method ?? 'GET', `${this.server.origin}${apiPath}`], status,
      message, `${object ? `${object}: ` : ''}Kubernetes API request failed: ${message}`);
  }

  /**
   * Every API server serves discovery and the core group; a server that answers 404 there is
   * not one (a wrong port or URL in the kubeconfig), which the user fixes in the kubeconfig.
   */
  private notAnApiServer(apiPath: string): UsageError {
    return new UsageError(
      `${this.server.origin} (${this.origin}) answered 404 to ${apiPath}: it is not a Kubernetes API server`,
      'check the server of that context: kubectl config view --minify',
      'NotAnApiServer',
    );
  }

  async discover(groups: readonly string[]): Promise<ResourceType[]> {
    const wanted = new Set(groups);
    // The preferred version first, then every other served one: a kind may be served only in an
    // older version of its group (Linkerd's MeshTLSAuthentication is v1alpha1 beside v1beta3's Server).
    const versions = (await this.discovery.groups()).filter((group) => wanted.has(group.name))
      .flatMap((group) => group.versions.map((version) => ({group: group.name, version})));
    const lists = await Promise.all(versions.map(async ({group, version}) => {
      const resources = (await this.discovery.resources(group, version)) ?? [];
      // Sub-resources (`pods/log`) and types that cannot be listed are not objects to analyse.
      return resources
        .filter((resource) => !resource.name.includes('/') && (resource.verbs ?? []).includes('list'))
        .map((resource) => ({group, version, kind: resource.kind, plural: resource.name,
          namespaced: resource.namespaced})
        );
    }));
    // Each kind once, in the first version that serves it (the preferred one when it does).
    const seen = new Set<string>();
    return lists.flat().filter(({group, kind}) => !seen.has(`${group}/${kind}`) && seen.add(`${group}/${kind}`));
  }

  async list(type: ResourceType, scope: ListScope): Promise<KubeObject[]> {
    const path = resourcePath(type, {namespace: scope.namespace});
    const objects: KubeObject[] = [];
    let continueToken: string | undefined;
    do {
      const query = {limit: String(PAGE_SIZE), continue: continueToken, labelSelector: scope.labelSelector,
        fieldSelector: scope.fieldSelector};
      const page = await this.call<{items?: KubeObject[]; metadata?: {continue?: string}}>(path, {query});
      // Items of built-in lists come without apiVersion and kind; the list request tells them.
      for (const item of page.items ?? []) objects.push({...item, apiVersion: apiVersionOf(type), kind: type.kind});
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return objects;
  }

  async resourceType(apiVersion: string, kind: string): Promise<ResourceType> {
    const group = groupOf(apiVersion);
    const version = versionOf(apiVersion);
    const resource = (await this.discovery.resources(group, version))?.find((candidate) =>
      candidate.kind === kind && !candidate.name.includes('/')
    );
    if (!resource) throw new KindNotServedError(apiVersion, kind);
    return {group, version, kind, plural: resource.name, namespaced: resource.namespaced};
  }

  private async pathOf(ref: ResourceRef): Promise<string> {
    const type = await this.resourceType(ref.apiVersion, ref.kind);
    return resourcePath(type, {namespace: ref.namespace ?? this.contextNamespace, name: ref.name});
  }

  async get(ref: ResourceRef): Promise<KubeObject | undefined> {
    const path = await this.pathOf(ref);
    try {
      return await this.send<KubeObject>(path, {});
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404) return undefined;
      throw this.failure(error, path, {}, displayName(ref));
    }
  }

  async apply(object: KubeObject, options: ApplyOptions = {}): Promise<KubeObject> {
    const ref = {apiVersion: object.apiVersion, kind: object.kind, name: object.metadata.name ?? '',
      namespace: object.metadata.namespace};
    const path = await this.pathOf(ref);
    // JSON is YAML, so the object goes as it is, with the apply content type.
    const request: Request = {method: 'PATCH', body: object, contentType: 'application/apply-patch+yaml', query: {
      fieldManager: options.fieldManager ?? FIELD_MANAGER,
      force: options.force ? 'true' : undefined,
      dryRun: options.dryRun ? 'All' : undefined,
    }};
    try {
      return await this.send<KubeObject>(path, request);
    } catch (error) {
      const conflicts = error instanceof HttpStatusError && error.status === 409 ? fieldConflicts(error.body) : [];
      if (conflicts.length) {
        throw new ApplyConflictError(ref, conflicts,
          statusMessage(error instanceof HttpStatusError ? error.body : '').replace(/^: /, ''));
      }
      throw this.failure(error, path, request, displayName(ref));
    }
  }

  async mergePatch(ref: ResourceRef, patch: Record<string, unknown>,
    options: MergePatchOptions = {}): Promise<KubeObject>
  {
    const path = `${await this.pathOf(ref)}${options.subresource ? `/${options.subresource}` : ''}`;
    const request: Request = {method: 'PATCH', body: patch, contentType: 'application/merge-patch+json',
      query: {fieldManager: options.fieldManager ?? FIELD_MANAGER, dryRun: options.dryRun ? 'All' : undefined}};
    return this.send<KubeObject>(path, request).catch((error: unknown) => {
      throw this.failure(error, path, request, displayName(ref));
    });
  }

  async delete(ref: ResourceRef, options: DeleteOptions = {}): Promise<boolean> {
    const path = await this.pathOf(ref);
    const body = {apiVersion: 'v1', kind: 'DeleteOptions', propagationPolicy: 'Background',
      ...(options.uid ? {preconditions: {uid: options.uid}} : {}), ...(options.dryRun ? {dryRun: ['All']} : {})};
    const request: Request = {method: 'DELETE', body};
    try {
      await this.send(path, request);
      return true;
    } catch (error) {
      if (error instanceof HttpStatusError && error.status === 404) return false;
      throw this.failure(error, path, request, displayName(ref));
    }
  }

  containerLog(pod: NamespacedName, container: string, options: LogOptions): Promise<ContainerLog> {
    const path = `${resourcePath(POD_TYPE, pod)}/log`;
    return this.call<ContainerLog>(path, {textLimit: options.limitBytes,
      query: {container, tailLines: String(options.tailLines), limitBytes: String(options.limitBytes),
        previous: options.previous ? 'true' : undefined}});
  }

  async serverVersion(): Promise<ServerVersion> {
    const info = await this.call<{major?: string; minor?: string; gitVersion?: string}>('/version');
    return {major: versionNumber(info.major), minor: versionNumber(info.minor),
      gitVersion: info.gitVersion ?? `v${info.major}.${info.minor}`};
  }

  canI(checks: readonly AccessCheck[]): Promise<boolean[]> {
    return Promise.all(checks.map(async ({verb, group, resource, namespace}) => {
      const review = await this.call<{status?: {allowed?: boolean}}>(
        '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        {
          method: 'POST',
          body: {apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview',
            spec: {resourceAttributes: {verb, group, resource, namespace}}},
        },
      );
      return review.status?.allowed === true;
    }));
  }

  async openPodPort(pod: NamespacedName, port: number): Promise<Duplex> {
    const {openPodPortStream} = await import('./pod-port-stream.js');
    return openPodPortStream({server: this.server, requestOptions: this.requestOptions}, pod, port);
  }
}

/** `"36"`, or `"36+"` as some distributions report it. */
function versionNumber(value: string | undefined): number {
  return Number.parseInt(value ?? '', 10);
}

/** The fields a 409 of server-side apply names, with their managers (`conflict with "kubectl" using v1`). */
function fieldConflicts(body: string): FieldConflict[] {
  try {
    const status = JSON.parse(body) as {details?: {causes?: {reason?: string; message?: string; field?: string}[]}};
    return (status.details?.causes ?? [])
      .filter((cause) => cause.reason === 'FieldManagerConflict')
      .map((cause) => ({manager: /conflict with "([^"]*)"/.exec(cause.message ?? '')?.[1] ?? 'unknown',
        field: cause.field ?? '?'})
      );
  } catch {
    return [];
  }
}
