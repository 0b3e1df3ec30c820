// Builds the pinned upstream binaries that the e2e tests run (etcd, the Kubernetes control
// plane and kubectl, kwok, istioctl, linkerd, helm, prometheus and promtool, jaeger, flagger)
// from Go modules, each once, into a cache outside the repo keyed by name and version. Nothing but the Go module proxy is contacted.
//
// Each binary is built in a throwaway module that requires the pinned upstream module. The
// upstream go.mod's `go` line, godebug settings and replace lines are copied, so the build
// resolves the same dependency versions upstream builds with; local replaces (Kubernetes'
// staging repositories) are mapped to their published module versions.
//
// A pin with a source archive (linkerd: the proxy serves none of its releases) is built inside
// the archive's own module instead, with upstream's go.sum and dependencies from the proxy.
import {execa} from 'execa';
import {createHash} from 'node:crypto';
import {createReadStream} from 'node:fs';
import {mkdtemp, mkdir, readFile, rename, rm, writeFile, access} from 'node:fs/promises';
import {homedir, tmpdir} from 'node:os';
import {join} from 'node:path';
import {archivePath, goPin, unbuildableReason, usableGoPin, type GoPin, type SourceArchive} from './versions.js';

export const goBinary = process.env.SPARC_MESH_GO ?? '/usr/local/go/bin/go';

export function testbinRoot(): string {
  return process.env.SPARC_MESH_TESTBIN ?? join(homedir(), '.cache', 'sparc-mesh', 'testbin');
}

interface MainPackage {
  /** Go import path of a `main` package. */
  pkg: string;
  /** File name of the binary in the cache directory. */
  bin: string;
}

export interface BinarySpec {
  /** Key in versions.json `go` and first part of the cache directory name. */
  name: string;
  mains: MainPackage[];
  tags?: string[];
  /** `-X importpath.name=value` stamps, so the tools report their real version. */
  stamps: (pin: GoPin, upstream: UpstreamGoMod) => Record<string, string>;
  /**
   * Published version of a module that upstream's go.mod replaces with a directory of its own
   * tree; undefined drops the replace (upstream's guards against imports that must not happen).
   */
  localReplace?: (modulePath: string, pin: GoPin) => string | undefined;
}

function semverParts(version: string): {major: string; minor: string; patch: string} {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!match) throw new Error(`not a release version: ${version}`);
  return {major: match[1]!, minor: match[2]!, patch: match[3]!};
}

/** The release that a pin stamps into its binaries: `stamp`, else the module version. */
export function stampVersion(pin: GoPin): string {
  return pin.stamp ?? pin.version;
}

function kubernetesStamps(pin: GoPin): Record<string, string> {
  const {major, minor} = semverParts(pin.version);
  const stamps: Record<string, string> = {};
  // kubectl reports the client version from client-go, servers from component-base.
  for (const pkg of ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version']) {
    stamps[`${pkg}.gitVersion`] = pin.version;
    stamps[`${pkg}.gitMajor`] = major;
    stamps[`${pkg}.gitMinor`] = minor;
    stamps[`${pkg}.gitTreeState`] = 'clean';
  }
  return stamps;
}

export const binarySpecs: BinarySpec[] = [
  {
    name: 'etcd',
    mains: [{pkg: 'go.etcd.io/etcd/server/v3', bin: 'etcd'}],
    stamps: (pin) => ({'go.etcd.io/etcd/api/v3/version.GitSHA': pin.version}),
    // etcd's sibling modules (api, client, pkg) are released together under the same tag.
    localReplace: (modulePath, pin) => (modulePath.startsWith('go.etcd.io/etcd/') ? pin.version : undefined),
  },
  {
    name: 'kubernetes',
    mains: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'].map((bin) => ({
      pkg: `k8s.io/kubernetes/cmd/${bin}`,
      bin,
    })),
    stamps: kubernetesStamps,
    // k8s.io/kubernetes points k8s.io/api and friends at ./staging/src/...; each is published
    // as its own module at v0.<minor>.<patch>.
    localReplace: (_modulePath, pin) => {
      const {minor, patch} = semverParts(pin.version);
      return `v0.${minor}.${patch}`;
    },
  },
  {
    name: 'kwok',
    mains: [{pkg: 'sigs.k8s.io/kwok/cmd/kwok', bin: 'kwok'}],
    stamps: (pin) => ({'sigs.k8s.io/kwok/pkg/consts.Version': pin.version}),
  },
  {
    name: 'istio',
    mains: [{pkg: 'istio.io/istio/istioctl/cmd/istioctl', bin: 'istioctl'}],
    stamps: (pin) => {
      const release = stampVersion(pin);
      const commit = pin.version.split('-').at(-1) ?? 'unknown';
      return {
        'istio.io/istio/pkg/version.buildVersion': release,
        'istio.io/istio/pkg/version.buildGitRevision': commit,
        'istio.io/istio/pkg/version.buildStatus': 'Clean',
        'istio.io/istio/pkg/version.buildTag': release,
        'istio.io/istio/pkg/version.buildHub': 'docker.io/istio',
      };
    },
  },
  {
    name: 'linkerd',
    mains: [{pkg: 'github.com/linkerd/linkerd2/cli', bin: 'linkerd'}],
    // `prod` embeds the charts instead of reading them from a source checkout.
    tags: ['prod'],
    stamps: (pin) => ({'github.com/linkerd/linkerd2/pkg/version.Version': stampVersion(pin)}),
  },
  {
    name: 'prometheus',
    mains: ['prometheus', 'promtool'].map((bin) => ({pkg: `github.com/prometheus/prometheus/cmd/${bin}`, bin})),
    stamps: (pin) => ({
      'github.com/prometheus/common/version.Version': stampVersion(pin),
      'github.com/prometheus/common/version.Branch': 'release',
    }),
  },
  {
    name: 'jaeger',
    mains: [{pkg: 'github.com/jaegertracing/jaeger/cmd/jaeger', bin: 'jaeger'}],
    stamps: () => ({}),
  },
  {
    name: 'flagger',
    mains: [{pkg: 'github.com/fluxcd/flagger/cmd/flagger', bin: 'flagger'}],
    stamps: () => ({}),
  },
  {
    name: 'helm',
    mains: [{pkg: 'helm.sh/helm/v3/cmd/helm', bin: 'helm'}],
    stamps: (pin, upstream) => {
      // Like helm's Makefile: the Kubernetes version assumed offline is that of its client-go.
      const clientGo = upstream.Require?.find((req) => req.Path === 'k8s.io/client-go');
      const kube = clientGo ? semverParts(clientGo.Version) : undefined;
      return {
        'helm.sh/helm/v3/internal/version.version': pin.version,
        'helm.sh/helm/v3/internal/version.gitTreeState': 'clean',
        ...(kube && {
          'helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor': '1',
          'helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor': kube.minor,
          'helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor': '1',
          'helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor': kube.minor,
        }),
      };
    },
  },
];

/** `<name>-<version>`; an archive build is keyed by the archive's sha256 too. */
export function binaryDir(spec: BinarySpec, pin: GoPin | undefined = usableGoPin(spec.name)): string {
  const key = pin ? [pin.version, pin.archive?.sha256].filter(Boolean).join('-') : 'unpinned';
  return join(testbinRoot(), `${spec.name}-${key}`);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

export async function isBuilt(spec: BinarySpec): Promise<boolean> {
  const dir = binaryDir(spec);
  const present = await Promise.all(spec.mains.map((main) => exists(join(dir, main.bin))));
  return present.every(Boolean);
}

const goEnv = {
  // The installed toolchain builds everything; never fetch another one.
  GOTOOLCHAIN: 'local',
  CGO_ENABLED: '0',
  GOFLAGS: '-mod=mod -buildvcs=false',
  // Go's default ends in `direct` (fetch from the origin, e.g. GitHub, when the proxy refuses).
  GOPROXY: process.env.GOPROXY ?? 'https://proxy.golang.org',
};

async function go(args: string[], cwd: string): Promise<string> {
  const result = await execa(goBinary, args, {cwd, env: goEnv, all: true, reject: false});
  if (result.exitCode !== 0) {
    throw new Error(`go ${args.join(' ')} failed (exit ${result.exitCode}):\n${(result.all ?? '').slice(-4000)}`);
  }
  return result.stdout;
}

interface UpstreamGoMod {
  Go?: string;
  Require?: {Path: string; Version: string}[] | null;
  Godebug?: {Key: string; Value: string}[] | null;
  Replace?: {Old: {Path: string; Version?: string}; New: {Path: string; Version?: string}}[] | null;
}

async function readUpstreamGoMod(pin: GoPin, cwd: string): Promise<UpstreamGoMod> {
  const download = JSON.parse(await go(['mod', 'download', '-json', `${pin.module}@${pin.version}`], cwd)) as {
    GoMod: string;
  };
  return JSON.parse(await go(['mod', 'edit', '-json', download.GoMod], cwd)) as UpstreamGoMod;
}

/** Go module editing flags that make the throwaway module build like upstream does. */
function upstreamModuleEdits(spec: BinarySpec, pin: GoPin, upstream: UpstreamGoMod): string[] {
  const edits: string[] = [];
  if (upstream.Go) edits.push(`-go=${upstream.Go}`);
  for (const {Key, Value} of upstream.Godebug ?? []) edits.push(`-godebug=${Key}=${Value}`);
  for (const {Old, New} of upstream.Replace ?? []) {
    const old = Old.Version ? `${Old.Path}@${Old.Version}` : Old.Path;
    if (New.Version) {
      edits.push(`-replace=${old}=${New.Path}@${New.Version}`);
    } else if (spec.localReplace) {
      const published = spec.localReplace(Old.Path, pin);
      if (published) edits.push(`-replace=${old}=${Old.Path}@${published}`);
    } else {
      throw new Error(`${pin.module} replaces ${Old.Path} with directory ${New.Path}; no published version is known`);
    }
  }
  for (const [path, version] of Object.entries(pin.replace ?? {})) edits.push(`-replace=${path}=${path}@${version}`);
  edits.push(`-require=${pin.module}@${pin.version}`);
  return edits;
}

/** A throwaway module requiring the pinned one, edited to resolve dependencies as upstream does. */
async function prepareRequiringModule(spec: BinarySpec, pin: GoPin, work: string): Promise<UpstreamGoMod> {
  await writeFile(join(work, 'go.mod'), `module testbin.local/${spec.name}\n`);
  const upstream = await readUpstreamGoMod(pin, work);
  await go(['mod', 'edit', ...upstreamModuleEdits(spec, pin, upstream)], work);
  await go(['get', `${pin.module}@${pin.version}`], work);
  return upstream;
}

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The archive's tree, checked against its pinned sha256, as the module to build in (upstream's own go.mod and go.sum). */
async function prepareArchiveModule(archive: SourceArchive, work: string): Promise<UpstreamGoMod> {
  const file = archivePath(archive);
  const actual = await sha256Of(file);
  if (actual !== archive.sha256) throw new Error(`${file}: sha256 is ${actual}, versions.json pins ${archive.sha256}`);
  const untar = await execa('tar', ['-xzf', file, '-C', work], {reject: false, all: true});
  if (untar.exitCode !== 0) throw new Error(`tar -xzf ${file} failed (exit ${untar.exitCode}):\n${untar.all ?? ''}`);
  return JSON.parse(await go(['mod', 'edit', '-json'], work)) as UpstreamGoMod;
}

/** Builds one binary set into its cache directory; the directory appears only when complete. */
export async function buildBinary(spec: BinarySpec): Promise<string> {
  const pin = goPin(spec.name);
  const finalDir = binaryDir(spec, pin);
  const partialDir = `${finalDir}.partial-${process.pid}`;
  const work = await mkdtemp(join(tmpdir(), `sparc-testbin-${spec.name}-`));
  try {
    const upstream = pin.archive
      ? await prepareArchiveModule(pin.archive, work)
      : await prepareRequiringModule(spec, pin, work);
    await mkdir(partialDir, {recursive: true});
    const ldflags = ['-s', '-w',
      ...Object.entries(spec.stamps(pin, upstream)).map(([key, value]) => `-X=${key}=${value}`)];
    for (const main of spec.mains) {
      const args = ['build', '-p=2', '-trimpath', `-ldflags=${ldflags.join(' ')}`, '-o', join(partialDir, main.bin)];
      if (spec.tags?.length) args.push(`-tags=${spec.tags.join(',')}`);
      // Inside upstream's module its go.sum is the truth: nothing may change it.
      if (pin.archive) args.push('-mod=readonly');
      await go([...args, main.pkg], work);
    }
    await rm(finalDir, {recursive: true, force: true});
    await rename(partialDir, finalDir);
    return finalDir;
  } finally {
    await rm(work, {recursive: true, force: true});
    await rm(partialDir, {recursive: true, force: true});
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `build` unless another process (an e2e run's global setup, a second `npm run testbin`)
 * is building the same binary: then waits for that build instead of compiling it twice on the
 * same cores. A lock left by a process that died is taken over.
 */
async function buildOnce(spec: BinarySpec, log: (line: string) => void, build: () => Promise<unknown>): Promise<void> {
  const lock = `${binaryDir(spec)}.lock`;
  await mkdir(testbinRoot(), {recursive: true});
  let waitingLogged = false;
  for (;;) {
    try {
      await writeFile(lock, String(process.pid), {flag: 'wx'});
      break;
    } catch {
      const owner = Number(await readFile(lock, 'utf8').catch(() => ''));
      // An empty lock is one being written this instant: look again shortly.
      if (!owner) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      if (!isRunning(owner)) {
        await rm(lock, {force: true});
        continue;
      }
      if (!waitingLogged) log(`testbin: waiting for process ${owner}, which is building ${spec.name}`);
      waitingLogged = true;
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  try {
    if (!(await isBuilt(spec))) await build();
  } finally {
    await rm(lock, {force: true});
  }
}

function seconds(startedAt: number): string {
  return `${((Date.now() - startedAt) / 1000).toFixed(0)}s`;
}

/** Builds every missing binary, one at a time, printing a line per binary with its time. */
export async function buildMissing(
  log: (line: string) => void = (line) => console.log(line),
  only?: string[],
): Promise<void> {
  const specs = only ? binarySpecs.filter((spec) => only.includes(spec.name)) : binarySpecs;
  const startedAt = Date.now();
  for (const spec of specs) {
    const pin = usableGoPin(spec.name);
    if (!pin) {
      log(`testbin: NOT building ${spec.name}: versions.json pins no version of it that the Go module proxy serves`);
      continue;
    }
    const unbuildable = unbuildableReason(pin);
    if (unbuildable) {
      log(`testbin: NOT building ${spec.name}: ${unbuildable}`);
      continue;
    }
    if (await isBuilt(spec)) {
      log(`testbin: ${spec.name} ${pin.version} cached in ${binaryDir(spec, pin)}`);
      continue;
    }
    log(`testbin: building ${spec.name} ${pin.version} (${spec.mains.map((main) => main.bin).join(', ')}) ...`);
    const binStartedAt = Date.now();
    await buildOnce(spec, log, () => buildBinary(spec));
    log(`testbin: built ${spec.name} ${pin.version} in ${seconds(binStartedAt)}`);
  }
  log(`testbin: all binaries ready in ${seconds(startedAt)} (${testbinRoot()})`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const only = process.argv.slice(2);
  buildMissing(undefined, only.length ? only : undefined).catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
