// What `debug` commands are pointed at, as kubectl spells it: `POD`, `pod/NAME`,
// `deploy/NAME`, `svc/NAME`; and a Service with an optional port, `svc/NAME[:PORT]`.

export type TargetKind = 'Pod' | 'Deployment' | 'Service';

export interface WorkloadTarget {
  kind: TargetKind;
  name: string;
}

export interface ServiceTarget {
  name: string;
  /** From `svc/NAME.NAMESPACE`; absent: the namespace of the run. */
  namespace?: string;
  port?: number;
}

const KIND_PREFIXES: Readonly<Record<string, TargetKind>> = {
  pod: 'Pod',
  pods: 'Pod',
  po: 'Pod',
  deploy: 'Deployment',
  deployment: 'Deployment',
  deployments: 'Deployment',
  svc: 'Service',
  service: 'Service',
  services: 'Service',
};

const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** A parsed target, or why it is not one (the command names the argument or flag). */
export function parseWorkloadTarget(text: string): WorkloadTarget | string {
  const slash = text.indexOf('/');
  const kind = slash === -1 ? 'Pod' : KIND_PREFIXES[text.slice(0, slash).toLowerCase()];
  const name = slash === -1 ? text : text.slice(slash + 1);
  if (!kind) return 'is not POD, pod/NAME, deploy/NAME or svc/NAME';
  if (!NAME.test(name)) return `has a name that is not a Kubernetes name (lower-case DNS name)`;
  return {kind, name};
}

/** `svc/NAME[.NAMESPACE][:PORT]` (also `service/`, or a bare NAME); the port in plain decimal 1–65535. */
export function parseServiceTarget(text: string): ServiceTarget | string {
  const match = /^(?:(?:svc|service|services)\/)?([^:/.]+)(?:\.([^:/]+))?(?::([^:]*))?$/i.exec(text);
  if (!match) return 'is not svc/NAME, svc/NAME.NAMESPACE or svc/NAME:PORT';
  const [, name = '', namespace, port] = match;
  if (!NAME.test(name) || (namespace !== undefined && !NAME.test(namespace))) {
    return 'has a name that is not a Kubernetes name (lower-case DNS name)';
  }
  const target: ServiceTarget = {name};
  if (namespace !== undefined) target.namespace = namespace;
  if (port === undefined) return target;
  if (!/^[1-9]\d{0,4}$/.test(port) || Number(port) > 65535) {
    return `has a port ${JSON.stringify(port)} that is not 1–65535`;
  }
  return {...target, port: Number(port)};
}
