// Walking a VirtualService's routes: where each destination sits and what it names.
import type {SourcedObject} from '../../../objects.js';
import type {IstioContext} from '../context.js';
import type {FieldPath} from '../../../field-line.js';
import {asArray, asInteger, asString, asStrings, at, namespaceOf, specOf} from './fields.js';
import {NETWORKING_GROUP} from './lookup.js';

export interface RouteDestination {
  /** `http`, `tcp`, `tls` or `http.mirror`. */
  section: string;
  rule: number;
  host: string;
  subset?: string;
  port?: number;
  /** Where the destination sits in the VirtualService, e.g. spec.http[0].route[1].destination. */
  field: FieldPath;
}

export const MESH_GATEWAY = 'mesh';

export function virtualServices(ctx: IstioContext): SourcedObject[] {
  return ctx.byKind('VirtualService', NETWORKING_GROUP);
}

export function vsGateways(vs: SourcedObject): string[] {
  return asStrings(specOf(vs.object).gateways);
}

/** Bound to the sidecars of the mesh: no gateways listed, or `mesh` among them. */
export function isMeshBound(vs: SourcedObject): boolean {
  const gateways = vsGateways(vs);
  return gateways.length === 0 || gateways.includes(MESH_GATEWAY);
}

function destinationOf(section: string, rule: number, destination: unknown, field: FieldPath): RouteDestination {
  const result: RouteDestination = {section, rule, host: asString(at(destination, 'host')) ?? '', field};
  const subset = asString(at(destination, 'subset'));
  const port = asInteger(at(destination, 'port', 'number'));
  if (subset) result.subset = subset;
  if (port !== undefined) result.port = port;
  return result;
}

/** Route destinations of tcp, tls and http rules, in Istio's order. */
export function routeDestinations(vs: SourcedObject): RouteDestination[] {
  const spec = specOf(vs.object);
  return ['tcp', 'tls', 'http'].flatMap((section) =>
    asArray(spec[section]).flatMap((rule, index) =>
      asArray(at(rule, 'route')).map((route, position) =>
        destinationOf(section, index, at(route, 'destination'), ['spec', section, index, 'route', position,
          'destination'])
      )
    )
  );
}

/** Mirror destinations of http rules (`mirror` and the newer `mirrors` list). */
export function mirrorDestinations(vs: SourcedObject): RouteDestination[] {
  return asArray(specOf(vs.object).http).flatMap((rule, index) => {
    const single = at(rule, 'mirror') === undefined
      ? []
      : [destinationOf('http.mirror', index, at(rule, 'mirror'), ['spec', 'http', index, 'mirror'])];
    const many = asArray(at(rule, 'mirrors')).map((mirror, position) =>
      destinationOf('http.mirror', index, at(mirror, 'destination'), ['spec', 'http', index, 'mirrors', position,
        'destination'])
    );
    return [...single, ...many];
  });
}

export function vsNamespace(vs: SourcedObject): string {
  return namespaceOf(vs.object);
}
