// observability commands in-process: credentials against a fake cluster (the password only with
// --show), and the refusals that come before any tool runs (exit 2 naming the flag or the file).
import {createHash} from 'node:crypto';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {FakeKubeClient} from '../../src/adapters/kube/fake.js';
import {runCommand} from '../helpers/run-command.js';

const PASSWORD = 'Zx9-very-random-password-from-the-generator';

function grafanaSecret(namespace = 'monitoring') {
  return {apiVersion: 'v1', kind: 'Secret', metadata: {name: 'grafana-admin', namespace},
    data: {'admin-user': Buffer.from('admin').toString('base64'),
      'admin-password': Buffer.from(PASSWORD).toString('base64')}};
}

const connect = (client: FakeKubeClient) => ({deps: {connect: async () => client}});

describe('observability credentials grafana', () => {
  it('says where the password is and never prints it without --show, in the table or in --json', async () => {
    const client = new FakeKubeClient({objects: [grafanaSecret()]});
    for (const extra of [[], ['--json']]) {
      const result = await runCommand(['observability', 'credentials', 'grafana', ...extra], connect(client));
      expect(result.status, result.stderr).toBe(0);
      expect(result.stdout + result.stderr).not.toContain(PASSWORD);
      expect(result.stdout).toContain('admin');
    }
    const table = await runCommand(['observability', 'credentials', 'grafana'], connect(client));
    expect(table.stdout).toContain('in Secret monitoring/grafana-admin, key admin-password (--show prints it)');
  });

  it('prints it with --show', async () => {
    const client = new FakeKubeClient({objects: [grafanaSecret()]});
    const result = await runCommand(['observability', 'credentials', 'grafana', '--show'], connect(client));
    expect(result.stdout).toBe(`user: admin\npassword: ${PASSWORD}\n`);
    const json = await runCommand(['observability', 'credentials', 'grafana', '--show', '--json'], connect(client));
    expect((JSON.parse(json.stdout) as {result: {password: string}}).result.password).toBe(PASSWORD);
  });

  it('reads the namespace given with -n, and says so when there is no Secret', async () => {
    const client = new FakeKubeClient({objects: [grafanaSecret('telemetry')]});
    expect((await runCommand(['observability', 'credentials', 'grafana', '-n', 'telemetry'], connect(client))).status)
      .toBe(0);
    const missing = await runCommand(['observability', 'credentials', 'grafana'], connect(client));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('no Grafana admin credentials in Secret monitoring/grafana-admin');
    expect(missing.stderr).toContain('run sparc-mesh observability setup first');
  });
});

describe('observability setup refusals', () => {
  it('refuses cluster flags with --dry-run, which asks no cluster', async () => {
    const result = await runCommand(['observability', 'setup', '--dry-run', '--kubeconfig', '/nowhere']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--kubeconfig');
  });

  it('names the file and line of a bad observability setting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparc-mesh-observability-'));
    writeFileSync(join(dir, 'sparc-mesh.yaml'), 'observability:\n  retention: forever\n  parts: {grafana: maybe}\n');
    const result = await runCommand(['observability', 'setup', '--dry-run'], {cwd: dir});
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(
      /sparc-mesh\.yaml:2: observability\.retention: "forever" must be a Prometheus duration/,
    );
    expect(result.stderr).toMatch(/sparc-mesh\.yaml:3: observability\.parts\.grafana: must be true or false/);
  });

  it('refuses a --chart-dir archive whose sha256 is not the pinned one, and one that is missing, before helm runs',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'sparc-mesh-charts-'));
      const missing = await runCommand(['observability', 'setup', '--dry-run', '--chart-dir', dir, '--helm',
        '/no/such/helm']);
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain(`--chart-dir: ${join(dir, 'kube-prometheus-stack-88.5.3.tgz')} is missing`);
      writeFileSync(join(dir, 'kube-prometheus-stack-88.5.3.tgz'), 'not the release');
      const tampered = await runCommand(['observability', 'setup', '--dry-run', '--chart-dir', dir, '--helm',
        '/no/such/helm']);
      expect(tampered.status).toBe(2);
      expect(tampered.stderr).toContain(`has sha256 ${createHash('sha256').update('not the release').digest('hex')}`);
      expect(tampered.stderr).toContain(
        'sparc-mesh pins 3d7f4872096fcd6334aa87c3b53b871f3662f844f8fd6476965339bfca0daace',
      );
    });
});
