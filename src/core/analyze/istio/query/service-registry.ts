// The service registry as Istio's analysers see it offline: every ServiceEntry host and
// every Kubernetes Service, each under the namespaces it is visible from. Destinations
// in VirtualServices and DestinationRules are resolved against it.
import type {SourcedObject} from '../../../objects.js';
import type {IstioContext} from '../context.js';
import {asArray, asInteger, asString, asStrings, at, nameOf, namespaceOf, specOf} from './fields.js';
import {isExportedToAll, serviceExportTo} from './exportto.js';
import {toFqdn} from './hosts.js';
import {NETWORKING_GROUP} from './lookup.js';
import {servicePorts} from './ports.js';

export interface RegistryPort {
  number: number;
  name?: string;
  protocol?: string;
}

export interface RegistryEntry {
  /** `*` for every namespace, else the one namespace that sees this host. */
  scope: string;
  /** Fully qualified host, possibly a wildcard (`*.example.com`). */
  host: string;
  ports: RegistryPort[];
  source: SourcedObject;
}

export interface ServiceRegistry {
  /** What `host`, named in `sourceNamespace` by an object with this exportTo, resolves to. */
  resolve(sourceNamespace: string, exportTo: unknown, host: string): RegistryEntry | undefined;
  entries: readonly RegistryEntry[];
}

const cache = new WeakMap<IstioContext, ServiceRegistry>();

function serviceEntryPorts(serviceEntry: SourcedObject): RegistryPort[] {
  return asArray(specOf(serviceEntry.object).ports).flatMap((port) => {
    const number = asInteger(at(port, 'number'));
    if (number === undefined) return [];
    const result: RegistryPort = {number};
    const name = asString(at(port, 'name'));
    const protocol = asString(at(port, 'protocol'));
    if (name !== undefined) result.name = name;
    if (protocol !== undefined) result.protocol = protocol;
    return [result];
  });
}

/** exportTo entries as namespaces: `.` is the owner's; `~` (nobody) yields none. */
function visibleNamespaces(exportTo: string[], ownerNamespace: string): string[] {
  return exportTo.filter((entry) => entry !== '~').map((entry) => (entry === '.' ? ownerNamespace : entry));
}

function collectEntries(ctx: IstioContext): RegistryEntry[] {
  const entries: RegistryEntry[] = [];
  for (const serviceEntry of ctx.byKind('ServiceEntry', NETWORKING_GROUP)) {
    const namespace = namespaceOf(serviceEntry.object);
    const spec = specOf(serviceEntry.object);
    const scopes = isExportedToAll(spec.exportTo) ? ['*'] : visibleNamespaces(asStrings(spec.exportTo), namespace);
    const ports = serviceEntryPorts(serviceEntry);
    for (const scope of scopes) {
      for (const host of asStrings(spec.hosts)) {
        entries.push({scope, host: toFqdn(host, namespace), ports, source: serviceEntry});
      }
    }
  }
  for (const service of ctx.byKind('Service', '')) {
    const namespace = namespaceOf(service.object);
    const ports = servicePorts(service.object).map((port) => {
      const result: RegistryPort = {number: port.port, protocol: port.protocol};
      if (port.name !== undefined) result.name = port.name;
      return result;
    });
    const exportTo = serviceExportTo(service.object.metadata.annotations);
    const scopes = exportTo.length === 0 || exportTo.includes('*') ? ['*'] : visibleNamespaces(exportTo, namespace);
    for (const scope of scopes) {
      entries.push({scope, host: toFqdn(nameOf(service.object), namespace), ports, source: service});
    }
  }
  return entries;
}

function buildRegistry(ctx: IstioContext): ServiceRegistry {
  const entries = collectEntries(ctx);
  const exact = new Map<string, RegistryEntry>();
  const wildcards: RegistryEntry[] = [];
  for (const entry of entries) {
    // Later definitions of the same scoped host win, as in a map keyed by it.
    exact.set(`${entry.scope}/${entry.host}`, entry);
    if (entry.host.startsWith('*')) wildcards.push(entry);
  }
  return {
    entries,
    resolve(sourceNamespace, exportTo, host) {
      const fqdn = toFqdn(host, sourceNamespace);
      const visibleScopes = ['*',
        ...(asStrings(exportTo).length === 0
          ? [sourceNamespace]
          : asStrings(exportTo).map((entry) => (entry === '.' ? sourceNamespace : entry)))];
      for (const scope of visibleScopes) {
        const found = exact.get(`${scope}/${fqdn}`);
        if (found) return found;
      }
      const bare = fqdn.startsWith('*') ? fqdn.slice(1) : fqdn;
      return wildcards.find((entry) =>
        (entry.scope === '*' || entry.scope === sourceNamespace) && bare.endsWith(entry.host.slice(1))
      );
    },
  };
}

/** The registry of a context, built once. */
export function serviceRegistry(ctx: IstioContext): ServiceRegistry {
  let found = cache.get(ctx);
  if (!found) {
    found = buildRegistry(ctx);
    cache.set(ctx, found);
  }
  return found;
}
