// The service a canary command acts on, resolved as onboard resolves it: its entry in
// sparc-mesh.yaml (if any) over its profile, the command's canary flags over both. Problems
// name the flag or the file and line they came from.
import {describeIssue, failOnIssues, loadPlatform, type IssueOrigin} from '../config-input.js';
import type {SpecIssue} from '../../core/config/reader.js';
import {resolveService} from '../../core/config/service.js';
import {oneOf} from '../../core/config/checks.js';
import {MESHES, type CanaryPolicy, type Mesh, type PlatformSpec, type ServiceSpec} from '../../core/config/types.js';

/** The canary settings a command may give, each overriding the config's and the profile's. */
export type CanaryOverrides = Partial<Omit<CanaryPolicy, 'enabled' | 'queries'>>;

export interface CanaryServiceInput {
  service: string;
  namespace?: string;
  mesh?: string;
  profile?: string;
  config?: string;
  canary: CanaryOverrides;
  /** How the caller names each input (the command: its flags), for messages. */
  names: Record<'mesh' | 'namespace' | 'profile' | keyof CanaryOverrides, string>;
}

export async function resolveCanaryService(
  input: CanaryServiceInput,
): Promise<{service: ServiceSpec; platform: PlatformSpec}> {
  const {platform, config} = await loadPlatform(input.config);
  const issues: string[] = [];
  const meshProblem = input.mesh === undefined ? undefined : oneOf(input.mesh, MESHES);
  if (meshProblem) issues.push(`${input.names.mesh}: ${JSON.stringify(input.mesh)} ${meshProblem}`);
  const mesh = (meshProblem ? platform.mesh : input.mesh ?? platform.mesh) as Mesh;
  const configIndex = platform.services.findIndex((entry) => (entry as {name?: unknown}).name === input.service);
  const fromConfig = configIndex === -1 ? {} : (platform.services[configIndex] as unknown as Record<string, unknown>);
  const given = Object.fromEntries(Object.entries(input.canary).filter(([, value]) => value !== undefined));
  const raw: Record<string, unknown> = {...fromConfig, name: input.service,
    canary: {...(fromConfig.canary as object | undefined), ...given}};
  if (input.namespace !== undefined) raw.namespace = input.namespace;
  if (input.profile !== undefined) raw.profile = input.profile;

  const specIssues: SpecIssue[] = [];
  const service = resolveService(raw, {mesh, defaultNamespace: platform.namespaces[0] ?? 'default'}, specIssues);
  const originOf = (path: string): IssueOrigin => {
    const [key, field] = path.split('.') as [string, string | undefined];
    if (key === 'canary' && field !== undefined && field in given) {
      return {input: input.names[field as keyof CanaryOverrides]};
    }
    if (key === 'canary' && field === undefined && ('stepWeight' in given || 'maxWeight' in given)) {
      return {input: `${input.names.stepWeight}, ${input.names.maxWeight}`};
    }
    if ((key === 'namespace' || key === 'profile') && input[key] !== undefined) return {input: input.names[key]};
    return {configPath: `services[${configIndex}].${path}`};
  };
  for (const issue of specIssues) issues.push(describeIssue(issue, originOf(issue.path), config));
  failOnIssues(issues, 'see `sparc-mesh canary run --help` for the accepted values');
  return {service: service!, platform};
}
