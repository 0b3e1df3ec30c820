// Failures to reach a cluster that the user fixes: no kubeconfig anywhere, a server that is
// not a Kubernetes API server. Both exit 2 naming what to fix, for every command that connects;
// and every error in --json carries a code and a hint.
import {spawn, type ChildProcess} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {cli} from '../helpers/cli.js';
import {runCommand} from '../helpers/run-command.js';

const CONNECTING: string[][] = [
  ['onboard', '-s', 'checkout', '-n', 'sparc', '-m', 'istio'],
  ['onboard', '-s', 'checkout', '--diff'],
  ['offboard', '-s', 'checkout', '-n', 'sparc', '--yes'],
  ['upgrade', 'plan', 'istio', '--to', '1.31.2'],
  ['validate'],
  ['validate', 'reachability'],
];

function kubeconfigFor(server: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sparc-mesh-access-')), 'kubeconfig');
  writeFileSync(file,
    JSON.stringify({apiVersion: 'v1', kind: 'Config', 'current-context': 'wrong',
      clusters: [{name: 'wrong', cluster: {server}}], users: [{name: 'u', user: {token: 'x'}}],
      contexts: [{name: 'wrong', context: {cluster: 'wrong', user: 'u'}}]}));
  return file;
}

describe('no kubeconfig at all', () => {
  // $KUBECONFIG unset and a home without ~/.kube/config, outside a cluster.
  const env = {KUBECONFIG: '', HOME: mkdtempSync(join(tmpdir(), 'sparc-mesh-home-')), KUBERNETES_SERVICE_HOST: ''};
  for (const command of CONNECTING) {
    it(`${command.join(' ')}: exit 2 naming the kubeconfig lookup`, async () => {
      const result = await runCommand(command, {env});
      expect(result.stderr).toContain('no kubeconfig found ($KUBECONFIG is unset, ~/.kube/config does not exist)');
      expect(result.stderr).not.toContain('unexpected failure');
      expect(result.status).toBe(2);
    });
  }
});

// The built CLI against a server in another process (the CLI runs as a process: its real
// client and exit code), which answers 404 to every request, as a wrong port or URL does.
describe('a server that answers 404 to discovery', () => {
  let server: ChildProcess;
  let url: string;
  beforeAll(async () => {
    server = spawn(process.execPath, ['-e',
      `const s = require('node:http').createServer((q, r) => r.writeHead(404).end('404 page not found'));
      s.listen(0, '127.0.0.1', () => console.log(s.address().port));`]);
    const [port] = await once(server.stdout!, 'data') as [Buffer];
    url = `http://127.0.0.1:${port.toString().trim()}`;
  });
  afterAll(() => {
    server.kill();
  });

  for (const command of CONNECTING) {
    it(`${command.join(' ')}: exit 2 naming the server, not "install its CRD"`, () => {
      const kubeconfig = kubeconfigFor(url);
      const result = cli([...command, '--kubeconfig', kubeconfig]);
      expect(result.stderr).toMatch(
        new RegExp(
          `${url} \\(context "wrong" of kubeconfig ${kubeconfig}\\) answered 404 to /[a-z/0-9]+: it is not a Kubernetes API server`,
        ),
      );
      expect(result.stderr).not.toContain('CRD');
      expect(result.status).toBe(2);
    });
  }
});

describe('every error in --json carries code and hint', () => {
  // The built CLI, so that the real client's tool error is the one enveloped.
  const failures: [string, string[], number][] = [
    ['a flag rule', ['onboard', '-s', 'Bad_Name', '--dry-run'], 2],
    ['a parse error', ['onboard', '--no-such-flag'], 2],
    ['a blank value', ['onboard', '-s', 'svc', '--output-dir', ''], 2],
    ['an unreachable server (a tool error)', ['onboard', '-s', 'svc', '-n', 'sparc', '--kubeconfig',
      kubeconfigFor('https://127.0.0.1:1')], 1],
  ];
  for (const [name, args, status] of failures) {
    it(name, () => {
      const result = cli([...args, '--json']);
      const envelope = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(envelope.status).toBe(status);
      expect(envelope.code).toEqual(expect.stringMatching(/^[A-Z][A-Za-z]+$/));
      expect(envelope.hint).toEqual(expect.stringMatching(/\S/));
    });
  }
});
