// Linkerd's upgrade rules as data: versions (2.x) one at a time, edge releases placed by their
// version's corresponding edge release, never back but by --rollback; and the steps in
// Linkerd's order, CRDs before the control plane, pruning where helm does not, the data
// plane after the control plane.
import {describe, expect, it} from 'vitest';
import {describeLinkerdStep, linkerdUpgradeVerdict, majorOf, parseLinkerdRelease, planLinkerdUpgrade,
  type LinkerdUpgradeSource} from '../../../src/core/install/linkerd-upgrade.js';

const release = (text: string) => {
  const parsed = parseLinkerdRelease(text);
  if (!parsed) throw new Error(`${text} does not parse`);
  return parsed;
};
const verdict = (from: string, to: string) => linkerdUpgradeVerdict(release(from), release(to));

describe("Linkerd's releases and versions", () => {
  it('reads edge and stable release names, and nothing else', () => {
    expect(parseLinkerdRelease('edge-26.8.3')).toEqual({channel: 'edge', year: 26, month: 8, number: 3,
      text: 'edge-26.8.3'});
    expect(parseLinkerdRelease('stable-2.14.10')).toEqual({channel: 'stable', major: 14, minor: 10,
      text: 'stable-2.14.10'});
    for (const text of ['26.8.3', 'edge-26.8', 'version-2.18', 'stable-3.1.0', 'edge-26.8.3-rc1', 'latest']) {
      expect(parseLinkerdRelease(text), text).toBeUndefined();
    }
  });

  it('places an edge release in the newest version whose corresponding edge release it is not older than', () => {
    expect(majorOf(release('edge-24.11.8'))).toBe(17);
    expect(majorOf(release('edge-24.11.7'))).toBe(16);
    expect(majorOf(release('edge-25.4.4'))).toBe(18);
    expect(majorOf(release('edge-25.10.7'))).toBe(19);
    expect(majorOf(release('edge-26.8.3'))).toBe(20);
    expect(majorOf(release('edge-24.2.3'))).toBeUndefined();
    expect(majorOf(release('stable-2.14.10'))).toBe(14);
  });
});

describe('which upgrades Linkerd supports', () => {
  it('within a version and to the next one, whatever the edge releases between', () => {
    expect(verdict('edge-24.11.8', 'edge-25.3.1')).toEqual({});
    expect(verdict('edge-24.11.8', 'edge-25.10.6')).toEqual({});
    expect(verdict('stable-2.14.10', 'edge-24.8.1')).toEqual({});
    expect(verdict('stable-2.14.1', 'stable-2.14.10')).toEqual({});
  });

  it('the same release again: it applies new values', () => {
    expect(verdict('edge-26.8.3', 'edge-26.8.3')).toEqual({});
  });

  it('refuses skipping a version, naming the version to go through and its edge release', () => {
    const skipped = verdict('edge-24.11.8', 'edge-25.10.7');
    expect(skipped.problem).toBe(
      'Linkerd does not support upgrading from 2.17 (edge-24.11.8) to 2.19 (edge-25.10.7) in one step: a data plane may trail its control plane by one version only',
    );
    expect(skipped.hint).toBe('upgrade to 2.18 first (its edge release edge-25.4.4, or a later edge release of 2.18)');
    expect(verdict('edge-25.4.4', 'edge-26.8.3').hint).toContain(
      'upgrade to 2.19 first (its edge release edge-25.10.7',
    );
    expect(verdict('stable-2.14.10', 'edge-24.8.2').problem).toContain('from 2.14 (stable-2.14.10) to 2.16');
  });

  it('refuses going back, pointing at --rollback', () => {
    expect(verdict('edge-26.8.3', 'edge-26.8.2')).toEqual({
      problem: 'Linkerd edge-26.8.2 is older than the installed edge-26.8.3',
      hint: 'to go back to the values before the last upgrade, use --rollback',
    });
    expect(verdict('edge-24.2.4', 'stable-2.14.10').problem).toContain('is older than');
    expect(verdict('edge-25.4.4', 'edge-24.2.4').problem).toContain('is older than');
  });

  it('refuses an installed edge release it cannot place', () => {
    expect(verdict('edge-23.9.1', 'edge-24.2.4').problem).toBe(
      'cannot tell which Linkerd version edge-23.9.1 belongs to (sparc-mesh knows them from 2.15 on)',
    );
  });
});

const source = (overrides: Partial<LinkerdUpgradeSource> = {}): LinkerdUpgradeSource => ({version: 'edge-26.8.3',
  namespace: 'linkerd', method: 'helm', ...overrides});
const request = {to: 'edge-26.8.3', rollback: false, valuesConfigMap: 'values',
  previousValuesConfigMap: 'values-previous'};

function steps(result: ReturnType<typeof planLinkerdUpgrade>): string[] {
  if ('problem' in result) throw new Error(result.problem);
  return result.plan.steps.map((step) => step.step);
}

describe('Linkerd upgrade plans', () => {
  it('helm: values kept, CRDs, then the control plane (helm prunes), the data plane restarted, checked', () => {
    expect(steps(planLinkerdUpgrade(source(), request))).toEqual(['save-values', 'crds', 'control-plane',
      'restart-data-plane', 'check']);
  });

  it('cli: the same, and what the new manifests no longer have is pruned after the control plane', () => {
    const result = planLinkerdUpgrade(source({method: 'cli'}), request);
    expect(steps(result)).toEqual(['save-values', 'crds', 'control-plane', 'prune', 'restart-data-plane', 'check']);
    if ('plan' in result) {
      expect(result.plan.steps.map(describeLinkerdStep)[3]).toBe(
        "delete the control plane's objects in linkerd and cluster-wide that the new manifests no longer have (as linkerd prune does)",
      );
    }
  });

  it('--rollback: back to the kept values, the CRDs left as they are', () => {
    expect(steps(planLinkerdUpgrade(source({previousRelease: 'edge-26.8.3'}), {...request, rollback: true}))).toEqual([
      'save-values',
      'control-plane',
      'restart-data-plane',
      'check',
    ]);
  });

  it('--rollback needs kept values of the release this sparc-mesh installs', () => {
    expect(planLinkerdUpgrade(source(), {...request, rollback: true})).toEqual({
      problem: 'no values from before an upgrade are kept (ConfigMap values-previous)',
      hint: '--rollback goes back after an upgrade linkerd; there was none here',
    });
    expect(planLinkerdUpgrade(source({previousRelease: 'edge-26.7.1'}), {...request, rollback: true})).toEqual({
      problem: 'the values kept are those of Linkerd edge-26.7.1; this sparc-mesh installs edge-26.8.3',
      hint: 'roll back with the sparc-mesh that installs edge-26.7.1',
    });
  });

  it('refuses a cluster without Linkerd, an unknown installed release, and an unsupported jump', () => {
    expect(planLinkerdUpgrade(undefined, request)).toEqual({problem: 'no Linkerd control plane is installed',
      hint: 'sparc-mesh install linkerd'});
    expect(planLinkerdUpgrade(source({version: undefined}), request)).toEqual({
      problem: 'cannot tell which Linkerd release runs in linkerd (its controller image tag is not a tag)',
    });
    expect(planLinkerdUpgrade(source({version: 'edge-25.4.4'}), request)).toMatchObject({
      problem: expect.stringContaining('from 2.18 (edge-25.4.4) to 2.20 (edge-26.8.3) in one step') as unknown,
    });
  });
});
