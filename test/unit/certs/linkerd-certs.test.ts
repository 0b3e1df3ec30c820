// The identity objects added to a rendered `install linkerd`, without the CLI around them.
import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
import {addLinkerdIdentity, REDACTED_KEY} from '../../../src/actions/install/linkerd-certs.js';
import {renderPlatform} from '../../../src/core/render/pipeline.js';
import {builtinTemplates, examplePlatform} from '../../helpers/render.js';

describe('addLinkerdIdentity', async () => {
  const rendered = renderPlatform(builtinTemplates, examplePlatform(), 'linkerd').objects;
  const added = await addLinkerdIdentity({objects: rendered, flags: {}}, {now: Date.now});
  const [values, printed, roots] = added.objects;

  it('puts the Secret and the trust roots right after the control-plane values and keeps the rest as rendered', () => {
    expect(added.objects.slice(0, 3).map((object) => `${object.kind}/${object.metadata.name}`)).toEqual([
      'ConfigMap/sparc-mesh-linkerd-values',
      'Secret/linkerd-identity-issuer',
      'ConfigMap/linkerd-identity-trust-roots',
    ]);
    expect(added.objects.slice(3)).toEqual(rendered.slice(1));
    expect(rendered[0]).not.toBe(values);
  });

  it('adds the anchor and the external issuer scheme to the values, keeping every other value', () => {
    const before = yaml.load((rendered[0]!.data as Record<string, string>)['values.yaml']!) as Record<string, unknown>;
    const after = yaml.load((values!.data as Record<string, string>)['values.yaml']!) as Record<string, unknown>;
    expect(after).toEqual({...before, identityTrustAnchorsPEM: (roots!.data as Record<string, string>)['ca-bundle.crt'],
      identity: {externalCA: true, issuer: {scheme: 'kubernetes.io/tls'}}});
  });

  it('withholds the Secret with the key: the printed one differs only by the placeholder', () => {
    const full = added.withheld.get(printed!)!;
    const fullData = full.stringData as Record<string, string>;
    expect(fullData['tls.key']).toMatch(/^-----BEGIN EC PRIVATE KEY-----/);
    expect(printed).toEqual({...full, stringData: {...fullData, 'tls.key': REDACTED_KEY}});
    expect(printed!.metadata).toEqual({name: 'linkerd-identity-issuer', namespace: 'linkerd',
      labels: expect.objectContaining({'app.kubernetes.io/managed-by': 'sparc-mesh',
        'linkerd.io/control-plane-component': 'identity'})});
    expect(added.withheld.size).toBe(1);
  });

  it('reports what it made', () => {
    expect(added.identity.source).toBe('generated');
    expect(added.identity.trustDomain).toBe('cluster.local');
    expect(added.notes.join('\n')).toContain('generated a trust anchor (root.linkerd.cluster.local');
  });

  it('refuses templates that render no values ConfigMap to put the anchor in', async () => {
    await expect(addLinkerdIdentity({objects: rendered.slice(1), flags: {}}, {now: Date.now})).rejects.toThrow(
      /renders no ConfigMap sparc-mesh-linkerd-values/,
    );
  });
});
