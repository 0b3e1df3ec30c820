// Targets that can hurt a cluster: onboarding into the cluster's or the mesh's own namespace
// is refused unless asked for, and a caller outside the platform baseline gets no egress
// policy (which would isolate its pods) but a note saying what it needs.
import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
import {runCommand} from '../helpers/run-command.js';

type Doc = {kind: string; metadata: {name: string; namespace?: string}};

describe('system namespaces', () => {
  const cases: [string, string[]][] = [
    ['kube-system', ['-m', 'istio']],
    ['kube-public', ['-m', 'linkerd']],
    ['kube-node-lease', []],
    ['istio-system', ['-m', 'istio']],
    ['istio-system', ['-m', 'linkerd']],
    ['linkerd', ['-m', 'linkerd']],
    ['linkerd-viz', ['-m', 'linkerd']],
  ];
  for (const [namespace, mesh] of cases) {
    it(`refuses -n ${namespace} ${mesh.join(' ')}: exit 2 naming the flag`, async () => {
      const result = await runCommand(['onboard', '-s', 'svc', '-n', namespace, ...mesh, '--dry-run']);
      expect(result.stderr).toContain(`--namespace: "${namespace}" is a`);
      expect(result.stderr).toContain('--allow-system-namespace');
      expect(result.stdout).toBe('');
      expect(result.status).toBe(2);
    });
  }

  it('refuses a system namespace that comes from the config, naming its origin', async () => {
    const result = await runCommand(['onboard', '-s', 'coredns-metrics', '--config',
      'test/fixtures/onboard/system-namespace.yaml', '--dry-run']);
    expect(result.stderr).toMatch(/namespace \(from services\[0\]\): "kube-system" is a Kubernetes system namespace/);
    expect(result.status).toBe(2);
  });

  it('renders into one with --allow-system-namespace', async () => {
    const result = await runCommand(['onboard', '-s', 'svc', '-n', 'kube-system', '--dry-run',
      '--allow-system-namespace']);
    expect(result.status).toBe(0);
    expect(
      (yaml.loadAll(result.stdout) as Doc[]).some((doc) =>
        doc?.kind === 'PeerAuthentication' && doc.metadata.namespace === 'kube-system'
      ),
    ).toBe(true);
  });
});

describe('caller-side egress policies', () => {
  it('are written only where the platform baseline isolates egress, and said elsewhere', async () => {
    // sparc is the service's namespace (baseline rendered); monitoring has no baseline.
    const result = await runCommand(['onboard', '-s', 'api', '-n', 'sparc', '--dry-run', '--allow-from', 'web',
      '--allow-from', 'monitoring/prometheus']);
    expect(result.status).toBe(0);
    const egress = (yaml.loadAll(result.stdout) as Doc[]).filter((doc) =>
      doc?.metadata?.name?.startsWith('allow-egress-to-')
    );
    expect(egress.map((doc) => doc.metadata.namespace)).toEqual(['sparc']);
    expect(result.stderr).toContain(
      'no egress policy written in monitoring for prometheus: that namespace has no sparc-mesh baseline (default deny)',
    );
    expect(result.stderr).toContain('allow them to reach api in sparc on port');
    // The ingress side still admits the caller.
    expect(result.stdout).toContain('kubernetes.io/metadata.name: monitoring');
  });

  it('are written in a caller namespace the platform config lists (its baseline isolates egress)', async () => {
    const result = await runCommand(['onboard', '-s', 'api', '-n', 'sparc', '--dry-run', '--allow-from',
      'payments/checkout', '--config', 'test/fixtures/onboard/two-namespaces.yaml']);
    expect(result.status).toBe(0);
    const egress = (yaml.loadAll(result.stdout) as Doc[]).filter((doc) =>
      doc?.metadata?.name?.startsWith('allow-egress-to-')
    );
    expect(egress.map((doc) => doc.metadata.namespace)).toEqual(['payments']);
    expect(result.stderr).not.toContain('no egress policy written');
  });
});
