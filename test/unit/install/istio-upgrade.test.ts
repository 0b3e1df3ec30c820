import {describe, expect, it} from 'vitest';
import {describeStep, injectionLabels, injectionRevision, planIstioUpgrade,
  type UpgradeRequest} from '../../../src/core/install/istio-upgrade.js';
import {parseIstioVersion, type InstalledRevision} from '../../../src/core/install/istio-versions.js';

const installed = (revision: string, version: string): InstalledRevision => ({revision, namespace: 'istio-system',
  version: parseIstioVersion(version)});
const request = (overrides: Partial<UpgradeRequest> = {}): UpgradeRequest => ({to: parseIstioVersion('1.31.2'),
  method: 'revision', rollback: false, keepPrevious: false, ...overrides});
const namespaces = [{name: 'shop', revision: 'default'}, {name: 'ads', revision: 'other'}];

function steps(result: ReturnType<typeof planIstioUpgrade>): string[] {
  if ('problem' in result) throw new Error(result.problem);
  return result.plan.steps.map(describeStep);
}

describe('Istio upgrade plans', () => {
  it('reads the injection labels as Istio does: istio.io/rev wins', () => {
    expect(injectionRevision({'istio-injection': 'enabled'})).toBe('default');
    expect(injectionRevision({'istio.io/rev': 'canary', 'istio-injection': 'enabled'})).toBe('canary');
    expect(injectionRevision({'istio-injection': 'disabled'})).toBeUndefined();
    expect(injectionLabels('default')).toEqual({'istio-injection': 'enabled', 'istio.io/rev': null});
    expect(injectionLabels('1-31-2')).toEqual({'istio.io/rev': '1-31-2', 'istio-injection': null});
  });

  it("by revision: install beside, verify, move and restart the old revision's namespaces, remove the old one", () => {
    expect(steps(planIstioUpgrade([installed('default', '1.30.4')], namespaces, request()))).toEqual([
      'install Istio 1.31.2 as revision 1-31-2 (istioctl install)',
      'wait until istiod of revision 1-31-2 is ready',
      'point namespace shop at revision 1-31-2 (was default)',
      'restart the workloads of namespace shop and wait for them',
      'remove revision default (istioctl uninstall --revision)',
    ]);
    expect(steps(planIstioUpgrade([installed('default', '1.30.4')], namespaces, request({keepPrevious: true})))).not
      .toContain('remove revision default (istioctl uninstall --revision)');
  });

  it('in place: install over the same revision first, then restart (a data plane never newer than its control plane)', () => {
    expect(steps(planIstioUpgrade([installed('default', '1.30.4')], namespaces, request({method: 'in-place'}))))
      .toEqual([
        'install Istio 1.31.2 as revision default (istioctl install)',
        'wait until istiod of revision default is ready',
        'restart the workloads of namespace shop and wait for them',
      ]);
  });

  it('asks which revision when several are installed, and refuses what cannot be planned', () => {
    const two = [installed('default', '1.30.4'), installed('other', '1.29.1')];
    expect(planIstioUpgrade(two, namespaces, request())).toMatchObject({
      problem: 'several revisions are installed (default, other): say which one to upgrade from',
      hint: '--from default',
    });
    expect(steps(planIstioUpgrade(two, namespaces, request({from: 'other'})))).toContain(
      'point namespace ads at revision 1-31-2 (was other)',
    );
    expect(planIstioUpgrade([], namespaces, request())).toMatchObject({problem: 'no Istio control plane is installed'});
    expect(planIstioUpgrade([installed('default', '1.30.4')], namespaces, request({revision: 'default'})))
      .toMatchObject({problem: 'the new revision must differ from the installed one (default)'});
    expect(planIstioUpgrade([installed('default', '1.28.0')], namespaces, request())).toMatchObject({
      problem: expect.stringContaining('from 1.28 to 1.31'),
    });
    expect(planIstioUpgrade([installed('default', '1.30.4')], namespaces, request({to: undefined}))).toMatchObject({
      hint: '--to VERSION',
    });
  });

  it('continues when re-run after the new revision was installed: the source is the revision that is not the target', () => {
    const both = [installed('default', '1.30.4'), installed('1-31-2', '1.31.2')];
    expect(steps(planIstioUpgrade(both, namespaces, request()))).toEqual([
      'install Istio 1.31.2 as revision 1-31-2 (istioctl install)',
      'wait until istiod of revision 1-31-2 is ready',
      'point namespace shop at revision 1-31-2 (was default)',
      'restart the workloads of namespace shop and wait for them',
      'remove revision default (istioctl uninstall --revision)',
    ]);
  });

  it('rolls back to the revision the namespaces came from, and only while both exist', () => {
    const both = [installed('default', '1.30.4'), installed('1-31-2', '1.31.2')];
    const moved = [{name: 'shop', revision: '1-31-2'}];
    expect(steps(planIstioUpgrade(both, moved, request({rollback: true, to: undefined})))).toEqual([
      'wait until istiod of revision default is ready',
      'point namespace shop at revision default (was 1-31-2)',
      'restart the workloads of namespace shop and wait for them',
      'remove revision 1-31-2 (istioctl uninstall --revision)',
    ]);
    expect(planIstioUpgrade([installed('1-31-2', '1.31.2')], moved, request({rollback: true}))).toMatchObject({
      problem: expect.stringContaining('--rollback needs both revisions installed'),
    });
  });
});
