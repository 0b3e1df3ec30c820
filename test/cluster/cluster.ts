// Starts a real Kubernetes control plane on loopback for the e2e tests: etcd, kube-apiserver
// (RBAC, admission, service-account keys, client-certificate users), kube-controller-manager,
// kube-scheduler and kwok with three fake nodes. kwok also serves as the nodes' kubelet, so
// that pods/portforward and pods/log reach what a test declares (test/helpers/kwok.ts). Every
// port is a free random one, every file lives in one temporary directory that stop() removes;
// component logs are kept on request.
import {spawn} from 'node:child_process';
import {openSync, closeSync, rmSync} from 'node:fs';
import {cp, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {request} from 'node:https';
import {createServer, type Server} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {pinnedModuleDir} from '../e2e/pinned-module.js';
import {kubernetesBinaries, testbinPath} from './testbin.js';

/** What a running cluster leaves behind for its users and for stop(). */
export interface ClusterState {
  workDir: string;
  kubeconfig: string;
  server: string;
  /** Component name → process id; each process leads its own process group. */
  pids: Record<string, number>;
  logDir: string;
  /** The API server's audit log (test/cluster/audit-policy.yaml says what it holds). */
  auditLog: string;
  startedAt: string;
}

const stagesFile = fileURLToPath(new URL('./kwok/stages.yaml', import.meta.url));
const auditPolicyFile = fileURLToPath(new URL('./audit-policy.yaml', import.meta.url));
export const fakeNodeNames = ['kwok-node-0', 'kwok-node-1', 'kwok-node-2'];
const serviceCidr = '10.96.0.0/16';
const serviceApiIp = '10.96.0.1';
/**
 * The name under which the API server dials kwok as the nodes' kubelet: an InternalDNS
 * address of every node (kwok/stages.yaml) and a name in kwok's serving certificate. The
 * nodes' InternalIP stays a pod-network address, which hostNetwork pods take as theirs.
 */
const kubeletHost = 'localhost';
/** kwok's resources that tests create (test/helpers/kwok.ts), kind → plural; kwok watches them through its CRDs. */
const kwokServedKinds = {PortForward: 'portforwards', Logs: 'logs'};

function listenOnFreePort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

/**
 * One free loopback port per name. All are held open until every one is chosen, so no two
 * names get the same port; a stranger could still take one before its component binds it.
 */
export async function freePorts<Name extends string>(names: readonly Name[]): Promise<Record<Name, number>> {
  const servers = await Promise.all(names.map(() => listenOnFreePort()));
  const ports = {} as Record<Name, number>;
  names.forEach((name, index) => {
    const address = servers[index]!.address();
    if (typeof address !== 'object' || !address) throw new Error('no port');
    ports[name] = address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  await execa('openssl', args, {cwd});
}

/** A key and a certificate signed by the test CA; `sans` makes it a serving certificate. */
async function issueCertificate(pki: string, name: string, subject: string, sans?: string): Promise<void> {
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.crt`];
  args.push('-CA', 'ca.crt', '-CAkey', 'ca.key', '-days', '7', '-subj', subject);
  // `req -x509` would otherwise mark the leaf as a CA too.
  args.push('-addext', 'basicConstraints=critical,CA:FALSE');
  if (sans) args.push('-addext', `subjectAltName=${sans}`, '-addext', 'extendedKeyUsage=serverAuth,clientAuth');
  else args.push('-addext', 'extendedKeyUsage=clientAuth');
  await openssl(args, pki);
}

async function createPki(pki: string): Promise<void> {
  await mkdir(pki, {recursive: true});
  await openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '7', '-subj',
      '/CN=sparc-mesh-test-ca'],
    pki,
  );
  const apiSans =
    `IP:127.0.0.1,IP:${serviceApiIp},DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc`;
  await issueCertificate(pki, 'apiserver', '/CN=kube-apiserver', apiSans);
  await issueCertificate(pki, 'admin', '/O=system:masters/CN=sparc-mesh-admin');
  await issueCertificate(pki, 'controller-manager', '/CN=system:kube-controller-manager');
  await issueCertificate(pki, 'scheduler', '/CN=system:kube-scheduler');
  await issueCertificate(pki, 'kwok', '/CN=kwok', `DNS:${kubeletHost},IP:127.0.0.1`);
  await openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sa.key'], pki);
  await openssl(['pkey', '-in', 'sa.key', '-pubout', '-out', 'sa.pub'], pki);
}

async function writeKubeconfig(file: string, server: string, pki: string, user: string): Promise<void> {
  const base64 = async (name: string) => (await readFile(join(pki, name))).toString('base64');
  // JSON is valid YAML; kubectl, istioctl, linkerd and helm all read it.
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{name: 'sparc-mesh-test', cluster: {server, 'certificate-authority-data': await base64('ca.crt')}}],
    users: [{name: user,
      user: {'client-certificate-data': await base64(`${user}.crt`), 'client-key-data': await base64(`${user}.key`)}}],
    contexts: [{name: 'sparc-mesh-test', context: {cluster: 'sparc-mesh-test', user, namespace: 'default'}}],
    'current-context': 'sparc-mesh-test',
  };
  await writeFile(file, JSON.stringify(config, null, 2), {mode: 0o600});
}

function startDaemon(state: ClusterState, name: string, bin: string, args: string[]): void {
  const log = openSync(join(state.logDir, `${name}.log`), 'a');
  try {
    // Detached: the process leads its own group, so stop() ends it and its children, and a
    // cluster started by `npm run cluster:up` outlives the script that started it.
    const child = spawn(bin, args, {detached: true, stdio: ['ignore', log, log]});
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${name} (${bin})`);
    state.pids[name] = child.pid;
  } finally {
    closeSync(log);
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function logTail(state: ClusterState, name: string): Promise<string> {
  const text = await readFile(join(state.logDir, `${name}.log`), 'utf8').catch(() => '');
  return text.split('\n').slice(-30).join('\n');
}

/** Polls `check` until it is true, failing early with the log of a component that died. */
async function waitFor(state: ClusterState, what: string, timeoutMs: number,
  check: () => Promise<boolean>): Promise<void>
{
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const [name, pid] of Object.entries(state.pids)) {
      if (!isAlive(pid)) throw new Error(`${name} exited while waiting for ${what}:\n${await logTail(state, name)}`);
    }
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** GET on the API server as the admin user; resolves with status code and body. */
function apiGet(state: ClusterState, path: string): Promise<{status: number; body: string}> {
  const pki = join(state.workDir, 'pki');
  return Promise.all(['ca.crt', 'admin.crt', 'admin.key'].map((name) => readFile(join(pki, name)))).then(
    ([ca, cert, key]) =>
      new Promise((resolve, reject) => {
        const req = request(`${state.server}${path}`, {ca, cert, key, timeout: 5000}, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({status: res.statusCode ?? 0, body}));
        });
        req.on('timeout', () => req.destroy(new Error('timeout')));
        req.on('error', reject);
        req.end();
      }),
  );
}

export function kubectl(state: ClusterState, args: string[], input?: string) {
  return execa(testbinPath('kubectl'), ['--kubeconfig', state.kubeconfig, ...args], {input});
}

function fakeNodesManifest(): string {
  const items = fakeNodeNames.map((name) => ({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      // kwok manages only nodes that carry this annotation.
      annotations: {'kwok.x-k8s.io/node': 'fake', 'node.alpha.kubernetes.io/ttl': '0'},
      labels: {'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64',
        type: 'kwok'},
    },
  }));
  return JSON.stringify({apiVersion: 'v1', kind: 'List', items});
}

/** kwok's CRDs for kwokServedKinds, as the pinned kwok release ships them. */
function kwokCrdFiles(): string[] {
  const bases = join(pinnedModuleDir('kwok'), 'kustomize', 'crd', 'bases');
  return Object.values(kwokServedKinds).map((plural) => join(bases, `kwok.x-k8s.io_${plural}.yaml`));
}

/** Flags that the controller-manager and the scheduler share: one client identity, loopback only. */
function controllerArgs(kubeconfig: string, port: number): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    `--authentication-kubeconfig=${kubeconfig}`,
    `--authorization-kubeconfig=${kubeconfig}`,
    '--bind-address=127.0.0.1',
    `--secure-port=${port}`,
    // A single instance: no leader election to wait for.
    '--leader-elect=false',
    '--profiling=false',
  ];
}

/** Starts the cluster; on failure everything started so far is stopped and logs are kept. */
export async function startCluster(options: {log?: (line: string) => void} = {}): Promise<ClusterState> {
  const log = options.log ?? ((line: string) => console.log(line));
  const startedAt = Date.now();
  const workDir = await mkdtemp(join(tmpdir(), 'sparc-mesh-cluster-'));
  const {etcdClient, etcdPeer, apiPort, cmPort, schedulerPort, kwokPort} = await freePorts([
    'etcdClient',
    'etcdPeer',
    'apiPort',
    'cmPort',
    'schedulerPort',
    'kwokPort',
  ] as const);
  const state: ClusterState = {
    workDir,
    kubeconfig: join(workDir, 'kubeconfig'),
    server: `https://127.0.0.1:${apiPort}`,
    pids: {},
    logDir: join(workDir, 'logs'),
    auditLog: join(workDir, 'logs', 'kube-apiserver-audit.log'),
    startedAt: new Date(startedAt).toISOString(),
  };
  const step = (what: string) => log(`cluster: ${what} (${((Date.now() - startedAt) / 1000).toFixed(1)}s)`);
  try {
    await mkdir(state.logDir, {recursive: true});
    const pki = join(workDir, 'pki');
    await createPki(pki);
    for (const user of ['admin', 'controller-manager', 'scheduler']) {
      await writeKubeconfig(join(workDir, `${user}.kubeconfig`), state.server, pki, user);
    }
    await cp(join(workDir, 'admin.kubeconfig'), state.kubeconfig);
    step('certificates and kubeconfigs written');

    const bins = kubernetesBinaries();
    startDaemon(state, 'etcd', testbinPath('etcd'), [
      '--name=sparc',
      `--data-dir=${join(workDir, 'etcd')}`,
      `--listen-client-urls=http://127.0.0.1:${etcdClient}`,
      `--advertise-client-urls=http://127.0.0.1:${etcdClient}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeer}`,
      `--initial-cluster=sparc=http://127.0.0.1:${etcdPeer}`,
      // Throwaway data: durability only costs time here.
      '--unsafe-no-fsync',
      '--log-level=warn',
    ]);
    startDaemon(state, 'kube-apiserver', bins.apiserver, [
      `--etcd-servers=http://127.0.0.1:${etcdClient}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--tls-cert-file=${join(pki, 'apiserver.crt')}`,
      `--tls-private-key-file=${join(pki, 'apiserver.key')}`,
      `--client-ca-file=${join(pki, 'ca.crt')}`,
      '--authorization-mode=Node,RBAC',
      // The default admission chain (webhooks, ServiceAccount, LimitRanger, quotas, ...) plus
      // NodeRestriction, as kubeadm runs it.
      '--enable-admission-plugins=NodeRestriction',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${join(pki, 'sa.pub')}`,
      `--service-account-signing-key-file=${join(pki, 'sa.key')}`,
      `--service-cluster-ip-range=${serviceCidr}`,
      '--allow-privileged=true',
      '--profiling=false',
      `--audit-policy-file=${auditPolicyFile}`,
      `--audit-log-path=${state.auditLog}`,
      // Written as each request ends, so that a test reads it right after its requests.
      '--audit-log-mode=blocking',
      '--audit-log-maxsize=200',
      // kwok is the nodes' kubelet (logs, port-forward): dialled by name, its certificate checked.
      '--kubelet-preferred-address-types=InternalDNS',
      `--kubelet-certificate-authority=${join(pki, 'ca.crt')}`,
    ]);
    await waitFor(state, 'kube-apiserver /readyz', 120_000,
      async () => (await apiGet(state, '/readyz')).status === 200);
    step(`kube-apiserver ready at ${state.server}`);

    startDaemon(state, 'kube-controller-manager', bins.controllerManager, [
      ...controllerArgs(join(workDir, 'controller-manager.kubeconfig'), cmPort),
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${join(pki, 'sa.key')}`,
      `--root-ca-file=${join(pki, 'ca.crt')}`,
      `--cluster-signing-cert-file=${join(pki, 'ca.crt')}`,
      `--cluster-signing-key-file=${join(pki, 'ca.key')}`,
      `--service-cluster-ip-range=${serviceCidr}`,
    ]);
    startDaemon(state, 'kube-scheduler', bins.scheduler,
      controllerArgs(join(workDir, 'scheduler.kubeconfig'), schedulerPort));
    const kwokCrds = kwokCrdFiles().flatMap((file) => ['-f', file]);
    await kubectl(state, ['apply', ...kwokCrds]);
    await kubectl(state, ['wait', '--for=condition=Established', '--timeout=60s', ...kwokCrds]);
    startDaemon(state, 'kwok', testbinPath('kwok'), [
      `--kubeconfig=${state.kubeconfig}`,
      `--config=${stagesFile}`,
      '--manage-all-nodes=false',
      '--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake',
      '--node-ip=10.0.0.1',
      '--cidr=10.244.0.0/16',
      '--node-lease-duration-seconds=40',
      `--server-address=127.0.0.1:${kwokPort}`,
      // The port the nodes advertise (status.daemonEndpoints) is the one kwok serves on.
      `--node-port=${kwokPort}`,
      `--tls-cert-file=${join(pki, 'kwok.crt')}`,
      `--tls-private-key-file=${join(pki, 'kwok.key')}`,
      `--enable-crds=${Object.keys(kwokServedKinds).join(',')}`,
    ]);
    await kubectl(state, ['apply', '-f', '-'], fakeNodesManifest());
    await waitFor(state, 'the fake nodes to be Ready', 120_000, async () => {
      const nodes = JSON.parse((await kubectl(state, ['get', 'nodes', '-o', 'json'])).stdout) as {
        items: {status?: {conditions?: {type: string; status: string}[]}}[];
      };
      const ready = nodes.items.filter((node) =>
        node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')
      );
      return ready.length === fakeNodeNames.length;
    });
    // Pods can be created only once the controller-manager has made the default service account.
    await waitFor(state, 'the default service account', 120_000,
      async () => (await apiGet(state, '/api/v1/namespaces/default/serviceaccounts/default')).status === 200);
    step(`ready: ${fakeNodeNames.length} kwok nodes, kubeconfig ${state.kubeconfig}`);
    return state;
  } catch (error) {
    const kept = await stopCluster(state, {keepLogs: true});
    throw new Error(`${error instanceof Error ? error.message : String(error)}\ncomponent logs kept in ${kept}`);
  }
}

export const keptLogsRoot = fileURLToPath(new URL('../../.sparc-mesh-test/logs/', import.meta.url));

/**
 * Ends every component (its whole process group), then removes the working directory.
 * With keepLogs, the component logs are first copied under .sparc-mesh-test/logs/; returns
 * where they went.
 */
export async function stopCluster(state: ClusterState,
  options: {keepLogs?: boolean} = {}): Promise<string | undefined>
{
  // Reverse start order, one at a time: kwok and the controllers before the API server, and
  // etcd last, so that the API server can shut down cleanly instead of retrying a dead etcd.
  for (const pid of Object.values(state.pids).reverse()) await endGroup(pid);
  let kept: string | undefined;
  if (options.keepLogs) {
    kept = join(keptLogsRoot, state.startedAt.replace(/[:.]/g, '-'));
    await cp(state.logDir, kept, {recursive: true}).catch(() => undefined);
  }
  await rm(state.workDir, {recursive: true, force: true});
  return kept;
}

async function endGroup(pid: number): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + 5_000;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}

/** Synchronous last resort for process exit: end every component, remove its files. */
export function killClusterNow(state: ClusterState): void {
  for (const pid of Object.values(state.pids)) signalGroup(pid, 'SIGKILL');
  rmSync(state.workDir, {recursive: true, force: true});
}
