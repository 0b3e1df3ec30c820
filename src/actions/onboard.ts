// onboard: a service spec from config + the command's input → the objects that bring it into the mesh.
// This module renders; applying them to a cluster is the job of the apply step.
import {renderingUserTemplates, templateSource} from '../adapters/files/templates.js';
import type {KubeObject} from '../core/objects.js';
import {renderService} from '../core/render/pipeline.js';
import type {SpecIssue} from '../core/config/reader.js';
import {resolveService} from '../core/config/service.js';
import {MESHES, type Mesh, type ServiceSpec} from '../core/config/types.js';
import {oneOf} from '../core/config/checks.js';
import {parsePortSpec} from '../core/config/port-spec.js';
import {assertSchemas} from './render-check.js';
import {systemNamespace} from '../core/config/system-namespaces.js';
import {describeIssue, failOnIssues, loadPlatform, type IssueOrigin} from './config-input.js';

export interface OnboardFields {
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

export interface OnboardInput extends OnboardFields {
  /** Onboard into a namespace of the cluster or its mesh (kube-system, istio-system, ...), which is refused otherwise. */
  allowSystemNamespace?: boolean;
  /** How the caller calls each field in messages (the command: its flags, `--port`); the field's own name otherwise. */
  names?: Partial<Record<keyof OnboardFields, string>>;
}

export interface OnboardResult {
  service: ServiceSpec;
  objects: KubeObject[];
  notes: string[];
}

/** The input field each top-level key of the service config comes from, when given. */
const FIELD_OF_KEY: Record<string, keyof OnboardFields> = {
  name: 'service',
  namespace: 'namespace',
  profile: 'profile',
  ports: 'ports',
  callers: 'allowFrom',
  ingressHosts: 'ingressHosts',
  canary: 'enableCanary',
};

/** The fields the input gives; a --port text that cannot be read is an issue, naming the flag. */
function givenValues(input: OnboardInput, issues: string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {name: input.service};
  if (input.namespace !== undefined) values.namespace = input.namespace;
  if (input.profile !== undefined) values.profile = input.profile;
  const defaultPortName = (port: string) => (input.profile === 'database' ? `tcp-${port}` : `http-${port}`);
  if (input.ports?.length) {
    values.ports = input.ports.flatMap((port) => {
      const spec = parsePortSpec(port, defaultPortName);
      if (typeof spec !== 'string') return [spec];
      issues.push(`${input.names?.ports ?? 'ports'}: ${JSON.stringify(port)} ${spec}`);
      return [];
    });
  }
  if (input.allowFrom?.length) values.callers = input.allowFrom;
  if (input.ingressHosts?.length) values.ingressHosts = input.ingressHosts;
  return values;
}

export async function onboard(input: OnboardInput): Promise<OnboardResult> {
  const {platform, config} = await loadPlatform(input.config);
  const issues: string[] = [];
  const nameOf = (field: keyof OnboardFields) => input.names?.[field] ?? field;
  const meshProblem = input.mesh === undefined ? undefined : oneOf(input.mesh, MESHES);
  if (meshProblem) issues.push(`${nameOf('mesh')}: ${JSON.stringify(input.mesh)} ${meshProblem}`);
  const mesh = (meshProblem ? platform.mesh : input.mesh ?? platform.mesh) as Mesh;

  // A service of the config's list gives the base; the input overrides it key by key.
  const configIndex = platform.services.findIndex((entry) => (entry as {name?: unknown}).name === input.service);
  const fromConfig = configIndex === -1 ? {} : (platform.services[configIndex] as unknown as Record<string, unknown>);
  const given = givenValues(input, issues);
  const raw: Record<string, unknown> = {...fromConfig, ...given};
  if (input.enableCanary) raw.canary = {...(fromConfig.canary as object | undefined), enabled: true};

  const specIssues: SpecIssue[] = [];
  const context = {mesh, defaultNamespace: platform.namespaces[0] ?? 'default',
    platformIngressHosts: platform.ingress.hosts, ...(platform.jwt ? {platformJwt: platform.jwt} : {})};
  const service = resolveService(raw, context, specIssues);
  for (const issue of specIssues) {
    const key = issue.path.split(/[.[]/)[0] ?? '';
    const origin: IssueOrigin = key in given || (key === 'canary' && input.enableCanary && !('canary' in fromConfig))
      ? {input: FIELD_OF_KEY[key] ? nameOf(FIELD_OF_KEY[key]) : key}
      : {configPath: `services[${configIndex}].${issue.path}`};
    issues.push(describeIssue(issue, origin, config));
  }
  const system = service && !input.allowSystemNamespace
    ? systemNamespace(service.namespace, platform, mesh)
    : undefined;
  if (system) {
    const origin = input.namespace === undefined
      ? `namespace (from ${configIndex === -1 ? "the platform config's first namespace" : `services[${configIndex}]`})`
      : nameOf('namespace');
    issues.push(
      `${origin}: ${
        JSON.stringify(service!.namespace)
      } is ${system}: onboarding would put injection, deny-all policies and STRICT mTLS on the cluster's own components`,
    );
  }
  failOnIssues(issues,
    system
      ? 'pick the namespace of your service, or pass --allow-system-namespace if this is really meant'
      : 'see `sparc-mesh onboard --help` for the accepted values');

  const rendered = await renderingUserTemplates(input.templates,
    () => renderService(templateSource(input.templates), platform, service!));
  const unchecked = await assertSchemas(rendered.objects, input.templates !== undefined);
  return {service: service!, objects: rendered.objects, notes: [...rendered.notes, ...unchecked]};
}
