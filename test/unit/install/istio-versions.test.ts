import {describe, expect, it} from 'vitest';
import {installVerdict, kubernetesVerdict, parseIstioVersion, revisionName, upgradeVerdict,
  type IstioVersion} from '../../../src/core/install/istio-versions.js';

const v = (text: string): IstioVersion => parseIstioVersion(text)!;
const k8s = (minor: number) => ({major: 1, minor, gitVersion: `v1.${minor}.0`});

describe('Istio versions', () => {
  it('parses what istioctl and image tags print, and nothing else', () => {
    expect(parseIstioVersion('1.30.4-dev')).toEqual({major: 1, minor: 30, patch: 4, text: '1.30.4-dev'});
    expect(parseIstioVersion('v1.29.0')).toMatchObject({minor: 29, patch: 0, text: '1.29.0'});
    expect(parseIstioVersion('latest')).toBeUndefined();
    expect(parseIstioVersion('sha256:abc')).toBeUndefined();
    expect(revisionName(v('1.31.2'))).toBe('1-31-2');
  });

  it('checks Kubernetes against the support table: too old refuses, newer warns', () => {
    expect(kubernetesVerdict(v('1.30.4'), k8s(36))).toEqual({});
    expect(kubernetesVerdict(v('1.30.4'), k8s(31)).problem).toBe(
      'Kubernetes v1.31.0 is too old: Istio 1.30 supports Kubernetes 1.32 to 1.36',
    );
    expect(kubernetesVerdict(v('1.30.4'), k8s(37)).warning).toContain('newer than Istio 1.30 was released for');
    expect(kubernetesVerdict(v('1.40.0'), k8s(36)).warning).toContain("not in sparc-mesh's support table");
  });

  it('lets an install re-run at the same version, and refuses another version over the same revision', () => {
    const installed = [{revision: 'default', namespace: 'istio-system', version: v('1.30.4')}];
    expect(installVerdict(installed, 'default', v('1.30.4'))).toEqual({});
    expect(installVerdict(installed, 'canary', v('1.31.0'))).toEqual({});
    expect(installVerdict(installed, 'default', v('1.31.0')).problem).toBe(
      'revision default already runs Istio 1.30.4 (in istio-system); installing 1.31.0 over it would be an in-place upgrade',
    );
  });

  it('allows two minor versions by revision and one in place; refuses downgrades', () => {
    expect(upgradeVerdict(v('1.30.4'), v('1.32.0'), 'revision')).toEqual({});
    expect(upgradeVerdict(v('1.30.4'), v('1.33.0'), 'revision').problem).toContain(
      'from 1.30 to 1.33 (at most 2 minor versions at a time): upgrade to 1.32 first',
    );
    expect(upgradeVerdict(v('1.30.4'), v('1.31.0'), 'in-place')).toEqual({});
    expect(upgradeVerdict(v('1.30.4'), v('1.32.0'), 'in-place').problem).toContain('at most 1 minor version at a time');
    expect(upgradeVerdict(v('1.30.4'), v('1.30.2'), 'revision').problem).toContain('older than the installed 1.30.4');
    expect(upgradeVerdict(v('1.30.4'), v('2.0.0'), 'revision').problem).toContain('does not support');
    // The same release into a new revision: a canary of control-plane configuration.
    expect(upgradeVerdict(v('1.30.4'), v('1.30.4'), 'revision')).toEqual({});
    expect(upgradeVerdict(v('1.30.4'), v('1.30.4'), 'in-place').problem).toBe('Istio 1.30.4 is already installed');
  });
});
