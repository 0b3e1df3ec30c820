// Bad invocations of the built CLI are refused before any request reaches the API server.
// Each runs as a ServiceAccount of its own (without permissions, so that a slip changes
// nothing), through a kubeconfig given both as --kubeconfig and as $KUBECONFIG; the API
// server's audit log (test/cluster/audit-policy.yaml) must then hold no request of that
// account, from sparc-mesh or from any tool it might start. A control run that does reach
// the server proves that its requests are logged, under sparc-mesh's user agent.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {request} from 'node:https';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {beforeAll, describe, expect, it} from 'vitest';
import {testAuditLog, testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {cli} from '../helpers/cli.js';

const NAMESPACE = 'e2e-refusals';

interface AuditEvent {
  user: {username: string};
  userAgent?: string;
  verb: string;
  requestURI: string;
  responseStatus?: {code: number};
}

interface Identity {
  username: string;
  kubeconfig: string;
  server: string;
  ca: Buffer;
  token: string;
}

async function kubectl(args: string[]): Promise<string> {
  const result = await execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args], {reject: false,
    all: true});
  if (result.exitCode !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.exitCode}:\n${result.all}`);
  return result.stdout;
}

/** A ServiceAccount of its own and a kubeconfig that authenticates as it. */
async function identity(name: string, dir: string): Promise<Identity> {
  await kubectl(['create', 'serviceaccount', name, '-n', NAMESPACE]);
  const token = (await kubectl(['create', 'token', name, '-n', NAMESPACE, '--duration=1h'])).trim();
  const admin = JSON.parse(readFileSync(testKubeconfig(), 'utf8')) as {
    clusters: {cluster: {server: string; 'certificate-authority-data': string}}[];
  };
  const cluster = admin.clusters[0]!.cluster;
  const kubeconfig = join(dir, `${name}.kubeconfig`);
  writeFileSync(kubeconfig, JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    'current-context': name,
    clusters: [{name: 'test', cluster}],
    users: [{name, user: {token}}],
    contexts: [{name, context: {cluster: 'test', user: name, namespace: NAMESPACE}}],
  }), {mode: 0o600});
  return {username: `system:serviceaccount:${NAMESPACE}:${name}`, kubeconfig, server: cluster.server,
    ca: Buffer.from(cluster['certificate-authority-data'], 'base64'), token};
}

function auditEvents(): AuditEvent[] {
  return readFileSync(testAuditLog(), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as AuditEvent);
}

/** One GET of a path nobody serves, as `who`: once its event is in the audit log, every earlier request of `who` is too. */
function barrierRequest(who: Identity, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const outgoing = request(`${who.server}${path}`, {ca: who.ca, headers: {authorization: `Bearer ${who.token}`}},
      (response) => {
        response.resume();
        response.on('end', resolve);
      });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** The requests the API server logged for `who`, read after a barrier request of its own. */
async function requestsOf(who: Identity): Promise<AuditEvent[]> {
  const barrier = `/apis/refusals.e2e.sparc-mesh.io/v1/barrier-${who.username.split(':').at(-1)}`;
  await barrierRequest(who, barrier);
  const deadline = Date.now() + 15_000;
  for (;;) {
    const events = auditEvents().filter((event) => event.user.username === who.username);
    if (events.some((event) => event.requestURI === barrier)) {
      return events.filter((event) => event.requestURI !== barrier);
    }
    if (Date.now() > deadline) {
      throw new Error(
        `the barrier request ${barrier} of ${who.username} never reached the audit log ${testAuditLog()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function runAs(who: Identity, args: string[], cwd: string) {
  // A refusal comes at once; a run that hangs (an unbounded reader) is ended and fails.
  return cli([...args, '--kubeconfig', who.kubeconfig], {cwd, env: {KUBECONFIG: who.kubeconfig}, timeoutMs: 60_000});
}

const work = mkdtempSync(join(tmpdir(), 'sparc-mesh-refusals-'));
const outputDir = join(work, 'out');
const aliasBomb = join(work, 'alias-bomb.yaml');
writeFileSync(aliasBomb,
  ['mesh: istio', 'a: &a ["x","x","x","x","x","x","x","x","x"]', ...'bcdefghi'.split('').map((name, index) => {
    const previous = 'abcdefghi'[index]!;
    return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]`;
  }), 'services: []', ''].join('\n'));

/** [name, arguments]: each must end with exit 2 and no request at all. */
const REFUSALS: [string, string[]][] = [
  ['onboard with an empty --output-dir', ['onboard', '-s', 'x', '-n', 'sparc', '--output-dir', '']],
  ['onboard with --dry-run and --output-dir', ['onboard', '-s', 'x', '-n', 'sparc', '--dry-run', '--output-dir',
    outputDir]],
  ['onboard with --dry-run=server and --output-dir', ['onboard', '-s', 'x', '-n', 'sparc', '--dry-run=server',
    '--output-dir', outputDir]],
  ['install istio with an empty --output-dir', ['install', 'istio', '--output-dir', '']],
  ['onboard with --port 0x50', ['onboard', '-s', 'x', '-n', 'sparc', '--port', '0x50']],
  ['onboard with --port ftp:21', ['onboard', '-s', 'x', '-n', 'sparc', '--port', 'ftp:21']],
  ['onboard with an empty -s', ['onboard', '-s', '', '-n', 'sparc']],
  ['onboard with --json and -o yaml', ['onboard', '-s', 'x', '-n', 'sparc', '--json', '-o', 'yaml']],
  ['onboard into kube-system', ['onboard', '-s', 'x', '-n', 'kube-system']],
  ['onboard with an alias bomb as --config', ['onboard', '-s', 'x', '-n', 'sparc', '--config', aliasBomb]],
  ['onboard with --output-dir under /proc', ['onboard', '-s', 'x', '-n', 'sparc', '--output-dir',
    '/proc/sparc-mesh-out']],
];

beforeAll(async () => {
  // A cluster reused through SPARC_MESH_KUBECONFIG may hold a previous run's accounts.
  await kubectl(['delete', 'namespace', NAMESPACE, '--ignore-not-found', '--wait=true', '--timeout=120s']);
  await kubectl(['create', 'namespace', NAMESPACE]);
});

describe('a bad invocation never reaches the API server', () => {
  it("control: a server-side dry run does reach it, and its requests are logged under sparc-mesh's user agent", async () => {
    const who = await identity('control', work);
    const result = runAs(who, ['onboard', '-s', 'x', '-n', NAMESPACE, '-m', 'istio', '--dry-run=server'], work);
    // Without permissions the run fails (exit 1), but only after asking the server.
    expect(result.status, result.stderr).not.toBe(0);
    const requests = await requestsOf(who);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.map((event) => event.userAgent)).toEqual(
      requests.map(() => expect.stringMatching(/^sparc-mesh\/v\d+\.\d+\.\d+\S* \(\w+\/\w+\)$/)),
    );
  });

  REFUSALS.forEach(([name, args], index) => {
    it(`${name}: exit 2, no request (sparc-mesh ${args.join(' ')})`, async () => {
      const who = await identity(`refusal-${index}`, work);
      const result = runAs(who, args, work);
      const requests = await requestsOf(who);
      expect.soft(requests.map((event) => `${event.userAgent} ${event.verb} ${event.requestURI}`), result.stderr)
        .toEqual([]);
      expect.soft(result.status, `stdout: ${result.stdout}\nstderr: ${result.stderr}`).toBe(2);
    });
  });
});
