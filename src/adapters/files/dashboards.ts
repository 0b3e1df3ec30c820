// The Grafana dashboards the build made from the pinned Istio module and Linkerd source
// (scripts/dashboards.ts), read from dashboards/ in the package.
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import type {Mesh} from '../../core/config/types.js';
import type {Dashboard} from '../../core/observability/stack.js';
import {PreconditionError} from '../../errors.js';
import {PACKAGE_ROOT} from '../../package-root.js';

export const DASHBOARDS_DIR = join(PACKAGE_ROOT, 'dashboards');

/** The mesh's dashboards, by name; refused when the build did not make them. */
export function meshDashboards(mesh: Mesh, dir = DASHBOARDS_DIR): Dashboard[] {
  const meshDir = join(dir, mesh);
  const names = existsSync(meshDir)
    ? readdirSync(meshDir).filter((file) => file.endsWith('.json')).sort()
    : [];
  if (!names.length) {
    const provenance = join(dir, 'provenance.json');
    const why = existsSync(provenance)
      ? (JSON.parse(readFileSync(provenance, 'utf8')) as Record<string, {missing?: string}>)[mesh]?.missing
      : undefined;
    throw new PreconditionError(`the ${mesh} Grafana dashboards were not built${why ? ` (${why})` : ''}`,
      'run npm run dashboards in the sparc-mesh checkout, or set observability.parts.grafana: false');
  }
  return names.map((file) => ({name: file.slice(0, -'.json'.length),
    json: readFileSync(join(meshDir, file), 'utf8').trimEnd()})
  );
}
