// onboard: a service spec from config + flags → the objects that bring it into the mesh.
// This module renders; applying them to a cluster is the job of the apply step.
import {templateSource} from '../adapters/files/templates.js';
import type {KubeObject} from '../core/objects.js';
import {renderService} from '../core/render/pipeline.js';
import type {SpecIssue} from '../core/config/reader.js';
import {resolveService} from '../core/config/service.js';
import {MESHES, type Mesh, type ServiceSpec} from '../core/config/types.js';
import {oneOf} from '../core/config/checks.js';
import {assertSchemas} from './render-check.js';
import {describeIssue, failOnIssues, loadPlatform, type IssueOrigin} from './spec-input.js';

export interface OnboardInput {
  service: string;
  namespace?: string;
  mesh?: string;
  profile?: string;
  enableCanary?: boolean;
  /** `[NAME:]PORT[:TARGET_PORT]`, as given on the command line. */
  ports?: string[];
  /** `SERVICE_ACCOUNT` or `NAMESPACE/SERVICE_ACCOUNT`. */
  allowFrom?: string[];
  ingressHosts?: string[];
  config?: string;
  templates?: string;
}

export interface OnboardResult {
  service: ServiceSpec;
  objects: KubeObject[];
  notes: string[];
}

/** Which flag sets each top-level key of the service input. */
const FLAG_OF: Record<string, string> = {
  name: 'service', namespace: 'namespace', profile: 'profile', ports: 'port', callers: 'allow-from', ingressHosts: 'ingress-host', canary: 'enable-canary',
};

export function parsePortFlag(value: string, defaultName: (port: string) => string): Record<string, unknown> {
  const parts = value.split(':');
  const numeric = (part: string | undefined) => (part !== undefined && /^-?\d+$/.test(part) ? Number(part) : part);
  if (parts.length === 1) return {name: defaultName(parts[0]!), port: numeric(parts[0])};
  if (parts.length === 2 && /^\d+$/.test(parts[0]!)) return {name: defaultName(parts[0]!), port: numeric(parts[0]), targetPort: numeric(parts[1])};
  return {name: parts[0], port: numeric(parts[1]), ...(parts[2] === undefined ? {} : {targetPort: numeric(parts[2])})};
}

function flagValues(input: OnboardInput): Record<string, unknown> {
  const values: Record<string, unknown> = {name: input.service};
  if (input.namespace !== undefined) values.namespace = input.namespace;
  if (input.profile !== undefined) values.profile = input.profile;
  const defaultPortName = (port: string) => (input.profile === 'database' ? `tcp-${port}` : `http-${port}`);
  if (input.ports?.length) values.ports = input.ports.map((port) => parsePortFlag(port, defaultPortName));
  if (input.allowFrom?.length) values.callers = input.allowFrom;
  if (input.ingressHosts?.length) values.ingressHosts = input.ingressHosts;
  return values;
}

export async function onboard(input: OnboardInput): Promise<OnboardResult> {
  const {platform, config} = loadPlatform(input.config);
  const issues: string[] = [];
  const meshProblem = input.mesh === undefined ? undefined : oneOf(input.mesh, MESHES);
  if (meshProblem) issues.push(`--mesh: ${JSON.stringify(input.mesh)} ${meshProblem}`);
  const mesh = (meshProblem ? platform.mesh : input.mesh ?? platform.mesh) as Mesh;

  // A service of the catalogue gives the base; flags override it key by key.
  const catalogueIndex = platform.services.findIndex((entry) => (entry as {name?: unknown}).name === input.service);
  const fromConfig = catalogueIndex === -1 ? {} : (platform.services[catalogueIndex] as unknown as Record<string, unknown>);
  const fromFlags = flagValues(input);
  const raw: Record<string, unknown> = {...fromConfig, ...fromFlags};
  if (input.enableCanary) raw.canary = {...(fromConfig.canary as object | undefined), enabled: true};

  const specIssues: SpecIssue[] = [];
  const context = {mesh, defaultNamespace: platform.namespaces[0] ?? 'default', platformIngressHosts: platform.ingress.hosts, ...(platform.jwt ? {platformJwt: platform.jwt} : {})};
  const service = resolveService(raw, context, specIssues);
  for (const issue of specIssues) {
    const key = issue.path.split(/[.[]/)[0] ?? '';
    const origin: IssueOrigin = key in fromFlags || (key === 'canary' && input.enableCanary && !('canary' in fromConfig))
      ? {flag: FLAG_OF[key] ?? key}
      : {configPath: `services[${catalogueIndex}].${issue.path}`};
    issues.push(describeIssue(issue, origin, config));
  }
  failOnIssues(issues, 'see `sparc-mesh onboard --help` for the accepted values');

  const rendered = renderService(templateSource(input.templates), platform, service!);
  const unchecked = await assertSchemas(rendered.objects, input.templates !== undefined);
  return {service: service!, objects: rendered.objects, notes: [...rendered.notes, ...unchecked]};
}
