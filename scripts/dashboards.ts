// Grafana dashboards for `observability setup`, made at build time from the pinned sources,
// never copied by hand: Istio's from the istio.io/istio module (manifests/addons/dashboards),
// Linkerd's from the linkerd2 source archive in ../shared (grafana/dashboards), checked against
// the sha256 versions.json pins. Written to dashboards/ (git-ignored, shipped in the package)
// with each project's LICENSE and a provenance.json saying where every file came from.
// Without the Linkerd archive, only Istio's are written and provenance.json says why.
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {moduleDir} from './schemas/go.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(ROOT, 'dashboards');
const SHARED = join(ROOT, '..', 'shared');

/** Dashboard name → file in the source: mesh, service, workload and control plane for Istio. */
const ISTIO_DASHBOARDS: Record<string, string> = {
  'istio-mesh': 'manifests/addons/dashboards/istio-mesh-dashboard.gen.json',
  'istio-service': 'manifests/addons/dashboards/istio-service-dashboard.json',
  'istio-workload': 'manifests/addons/dashboards/istio-workload-dashboard.json',
  'istio-control-plane': 'manifests/addons/dashboards/pilot-dashboard.gen.json',
  'istio-performance': 'manifests/addons/dashboards/istio-performance-dashboard.json',
};

/** Linkerd's mesh dashboards (its Kubernetes-object and Prometheus ones are left to kube-prometheus-stack). */
const LINKERD_DASHBOARDS: Record<string, string> = Object.fromEntries(
  ['top-line', 'health', 'namespace', 'deployment', 'pod', 'service', 'route', 'authority'].map((
    name,
  ) => [`linkerd-${name}`, `grafana/dashboards/${name}.json`]),
);

interface Pin {
  module: string;
  version: string;
  archive?: {file: string; sha256: string; commit: string};
}

function pins(): {istio: Pin; linkerd: Pin} {
  const versions = JSON.parse(readFileSync(join(ROOT, 'versions.json'), 'utf8')) as {go: {istio: Pin; linkerd: Pin}};
  return versions.go;
}

/** A dashboard as Grafana's sidecar provisions it: valid JSON, with a uid and a title. */
function checkedDashboard(text: string, where: string): string {
  const dashboard = JSON.parse(text) as {uid?: unknown; title?: unknown};
  if (typeof dashboard.title !== 'string') throw new Error(`${where}: a dashboard without a title`);
  return `${JSON.stringify(dashboard)}\n`;
}

function writeDashboards(mesh: string, files: Record<string, string>, read: (path: string) => string): string[] {
  mkdirSync(join(OUT, mesh), {recursive: true});
  return Object.entries(files).map(([name, path]) => {
    writeFileSync(join(OUT, mesh, `${name}.json`), checkedDashboard(read(path), path));
    return name;
  });
}

function istio(pin: Pin) {
  const dir = moduleDir(pin.module, pin.version);
  const names = writeDashboards('istio', ISTIO_DASHBOARDS, (path) => readFileSync(join(dir, path), 'utf8'));
  cpSync(join(dir, 'LICENSE'), join(OUT, 'istio', 'LICENSE'));
  return {source: `${pin.module}@${pin.version}`, files: ISTIO_DASHBOARDS, names};
}

function linkerd(pin: Pin) {
  const archive = pin.archive;
  if (!archive) return {missing: 'versions.json pins no linkerd2 source archive'};
  const file = join(SHARED, archive.file);
  if (!existsSync(file)) return {missing: `${file} is not there`};
  const sha256 = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (sha256 !== archive.sha256) throw new Error(`${file}: sha256 is ${sha256}, versions.json pins ${archive.sha256}`);
  const work = mkdtempSync(join(tmpdir(), 'sparc-mesh-dashboards-'));
  try {
    execFileSync('tar', ['-xzf', file, '-C', work, 'LICENSE', ...Object.values(LINKERD_DASHBOARDS)]);
    const names = writeDashboards('linkerd', LINKERD_DASHBOARDS, (path) => readFileSync(join(work, path), 'utf8'));
    cpSync(join(work, 'LICENSE'), join(OUT, 'linkerd', 'LICENSE'));
    return {source: `github.com/linkerd/linkerd2 ${pin.version} (commit ${archive.commit}, archive sha256 ${sha256})`,
      files: LINKERD_DASHBOARDS, names};
  } finally {
    rmSync(work, {recursive: true, force: true});
  }
}

const started = Date.now();
rmSync(OUT, {recursive: true, force: true});
const {istio: istioPin, linkerd: linkerdPin} = pins();
const provenance = {istio: istio(istioPin), linkerd: linkerd(linkerdPin)};
writeFileSync(join(OUT, 'provenance.json'), `${JSON.stringify(provenance, null, 2)}\n`);
const count = (entry: {names?: string[]}) => entry.names?.length ?? 0;
const missing = 'missing' in provenance.linkerd ? ` (Linkerd's not made: ${provenance.linkerd.missing})` : '';
console.log(
  `dashboards/: ${count(provenance.istio)} Istio, ${
    count(provenance.linkerd as {names?: string[]})
  } Linkerd dashboards${missing} in ${Date.now() - started} ms`,
);
