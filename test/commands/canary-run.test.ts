// canary run and canary rollback in-process: the plan of --dry-run (which reads no cluster),
// the sparc-mesh.yaml settings under the flags, and bad input named by its flag or file line
// (exit 2) before anything is touched. The runs themselves are in test/e2e/canary-run.test.ts.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {freeLoopbackPort} from '../helpers/prometheus.js';
import {runCommand} from '../helpers/run-command.js';

const noCluster = {deps: {connect: async () => {
  throw new Error('this run must not connect to a cluster');
}}};

const DRY = ['canary', 'run', '-s', 'reports', '-n', 'sparc', '--image', 'registry.example/reports:2', '--dry-run'];

describe('canary run --dry-run', () => {
  it('prints the steps, weights, queries and thresholds of the profile, changed by the flags', async () => {
    const result = await runCommand([...DRY, '--profile', 'analytics', '--interval', '2s', '--threshold', '2'],
      noCluster);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Canary run of reports in sparc (istio): registry.example/reports:2');
    expect(result.stdout).toContain('weights (primary/canary): 90/10, 80/20, 70/30, 60/40, 50/50');
    expect(result.stdout).toContain('one every 2s at each weight');
    expect(result.stdout).toContain('after 2 failed checks');
    expect(result.stdout).toContain('destination_workload=~"reports-canary"');
    expect(result.stdout).toContain('request-duration at most 500 ms, over the last 1m:');
  });

  it('--json carries the plan', async () => {
    const result = await runCommand([...DRY, '-m', 'linkerd', '--match-header', 'X-Canary=yes', '--json'], noCluster);
    const plan = (JSON.parse(result.stdout) as {result: {plan: Record<string, unknown>}}).result.plan;
    expect(plan).toMatchObject({mesh: 'linkerd', target: 'reports-canary', steps: [10, 20, 30, 40, 50],
      match: {name: 'x-canary', value: 'yes'}});
    expect(JSON.stringify(plan)).toContain('response_total{namespace=\\"sparc\\",deployment=~\\"reports-canary\\"');
  });

  it("reads the service's canary settings from sparc-mesh.yaml, the flags winning", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sparc-canary-'));
    writeFileSync(join(dir, 'sparc-mesh.yaml'), [
      'services:',
      '  - name: reports',
      '    canary:',
      '      stepWeight: 20',
      '      maxWeight: 60',
      '      window: 2m',
      '      queries:',
      '        latency: max(my_p99{ns="{{ namespace }}",w=~"{{ target }}"}[{{ interval }}])',
      '',
    ].join('\n'));
    const result = await runCommand([...DRY, '--max-weight', '40'], {...noCluster, cwd: dir});
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('weights (primary/canary): 80/20, 60/40\n');
    expect(result.stdout).toContain('max(my_p99{ns="sparc",w=~"reports-canary"}[2m])');
  });
});

describe('bad input, exit 2, nothing touched', () => {
  it.each([
    [['--step-weight', '0'], '--step-weight: 0 must be between 1 and 100'],
    [['--step-weight', '30', '--max-weight', '20'],
      '--step-weight, --max-weight: maxWeight must be at least stepWeight'],
    [['--window', '1.5m'], '--window: "1.5m" must be a PromQL duration'],
    [['--interval', 'soon'], '--interval: "soon" must be a duration'],
    [['--min-success-rate', 'high'], '--min-success-rate: "high" is not a number'],
    [['--match-header', 'x-canary'], '--match-header: "x-canary" must be NAME=VALUE'],
    [['--match-header', 'bad header=1'], '--match-header: "bad header=1" must be an HTTP header name'],
    [['--context', 'prod'], '--context: ["prod"] does nothing with --dry-run'],
  ])('%j', async (flags, message) => {
    const result = await runCommand([...DRY, ...flags], noCluster);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('needs exactly one of --image and --to-version', async () => {
    const neither = await runCommand(['canary', 'run', '-s', 'reports', '--dry-run'], noCluster);
    expect(neither.status).toBe(2);
    expect(neither.stderr).toMatch(/--image|--to-version/);
    const both = await runCommand([...DRY, '--to-version', '2'], noCluster);
    expect(both.status).toBe(2);
  });

  it('an unreachable Prometheus stops the run before the cluster is touched (exit 1, naming the URL)', async () => {
    const port = await freeLoopbackPort();
    const result = await runCommand(['canary', 'run', '-s', 'reports', '-n', 'sparc', '--image', 'r:2',
      '--prometheus-url', `http://127.0.0.1:${port}/prom`], noCluster);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`Prometheus at http://127.0.0.1:${port}/prom: cannot connect (ECONNREFUSED)`);
  });
});
