// Objects against the generated schemas (run `npm run schemas` first).
import {describe, expect, it} from 'vitest';
import {checkEach, checkObjects, createSchemaChecker,
  SchemasNotBuiltError} from '../../../src/adapters/schemas/index.js';
import type {SchemaProblem} from '../../../src/core/schema/index.js';
import type {KubeObject} from '../../../src/core/objects.js';
import * as fixture from './fixtures.js';

// Tests break fixtures deep inside; typing each path would only restate the fixture.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** Only what tests compare: where and which rule. */
const brief = (problems: SchemaProblem[]) => problems.map(({path, rule}) => ({path, rule}));

async function problemsAfter(object: KubeObject, breakIt: (broken: Loose) => void): Promise<SchemaProblem[]> {
  const broken = fixture.copy(object);
  breakIt(broken);
  return checkObjects([broken]);
}

describe('valid objects pass', () => {
  it.each(Object.entries(fixture.ISTIO_AND_CORE))('%s', async (_name, object) => {
    expect(await checkObjects([object])).toEqual([]);
  });

  it('Linkerd kinds', async () => {
    expect(await checkObjects(Object.values(fixture.LINKERD))).toEqual([]);
  });

  it('a field set to null counts as left out (the API server drops it)', async () => {
    expect(await problemsAfter(fixture.virtualService, (vs) => {
      vs.metadata.labels = null;
      vs.spec.http[0].timeout = null;
    })).toEqual([]);
  });
});

describe('invalid objects fail with the path and rule', () => {
  it('unknown field, in a built-in kind and in a CRD', async () => {
    const deployment = await problemsAfter(fixture.deployment, (d) => {
      d.spec.template.spec.containers[0].imagePullPolicyy = 'Always';
    });
    expect(brief(deployment)).toEqual([{path: 'spec.template.spec.containers[0].imagePullPolicyy',
      rule: 'unknown-field'}]);
    expect(deployment[0]!.message).toBe('unknown field "imagePullPolicyy"');
    const vs = await problemsAfter(fixture.virtualService, (v) => {
      v.spec.http[0].route[1].wieght = 10;
    });
    expect(brief(vs)).toEqual([{path: 'spec.http[0].route[1].wieght', rule: 'unknown-field'}]);
  });

  it('wrong type', async () => {
    const problems = await problemsAfter(fixture.virtualService, (vs) => {
      vs.spec.http[0].route[0].weight = '90';
    });
    expect(problems).toEqual([{type: 'invalid',
      object: {apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', name: 'checkout', namespace: 'shop'},
      path: 'spec.http[0].route[0].weight', field: ['spec', 'http', 0, 'route', 0, 'weight'], rule: 'type',
      message: 'must be an integer, got string "90"'}]);
  });

  it('enum', async () => {
    const problems = await problemsAfter(fixture.istioAuthorizationPolicy, (ap) => {
      ap.spec.action = 'allow';
    });
    expect(brief(problems)).toEqual([{path: 'spec.action', rule: 'enum'}]);
    expect(problems[0]!.message).toContain('"ALLOW", "DENY", "AUDIT", "CUSTOM"');
  });

  it('missing required field, named in the path', async () => {
    const container = await problemsAfter(fixture.deployment, (d) => {
      delete d.spec.template.spec.containers[0].name;
    });
    expect(brief(container)).toEqual([{path: 'spec.template.spec.containers[0].name', rule: 'required'}]);
    const gateway = await problemsAfter(fixture.gatewayApiGateway, (g) => {
      delete g.spec.gatewayClassName;
    });
    expect(brief(gateway)).toEqual([{path: 'spec.gatewayClassName', rule: 'required'}]);
    const canary = await problemsAfter(fixture.canary, (c) => {
      delete c.spec.targetRef.name;
    });
    expect(brief(canary)).toEqual([{path: 'spec.targetRef.name', rule: 'required'}]);
  });

  it('int-or-string accepts both and nothing else', async () => {
    expect(await problemsAfter(fixture.service, (s) => {
      s.spec.ports[0].targetPort = 8080;
    })).toEqual([]);
    const problems = await problemsAfter(fixture.service, (s) => {
      s.spec.ports[0].targetPort = true;
    });
    expect(problems.map(({path, rule, message}) => ({path, rule, message})))
      .toEqual([{path: 'spec.ports[0].targetPort', rule: 'type',
        message: 'must be an integer or a string, got boolean true'}]);
    const canary = await problemsAfter(fixture.canary, (c) => {
      c.spec.service.targetPort = {port: 8080};
    });
    expect(brief(canary)).toEqual([{path: 'spec.service.targetPort', rule: 'type'}]);
  });

  it('formats and patterns the API server enforces: int32, base64, quantities', async () => {
    expect(brief(await problemsAfter(fixture.deployment, (d) => {
      d.spec.replicas = 2 ** 31;
    }))).toEqual([{path: 'spec.replicas', rule: 'format'}]);
    expect(brief(await problemsAfter(fixture.secret, (s) => {
      s.data['tls.key'] = 'not base64!';
    }))).toEqual([{path: 'data["tls.key"]', rule: 'format'}]);
    expect(brief(await problemsAfter(fixture.deployment, (d) => {
      d.spec.template.spec.containers[0].resources.limits.memory = '256 MB';
    })))
      .toEqual([{path: 'spec.template.spec.containers[0].resources.limits.memory', rule: 'pattern'}]);
  });

  it('fields that exclude each other are named', async () => {
    const problems = await problemsAfter(fixture.virtualService, (vs) => {
      vs.spec.http[0].match[0].uri.exact = '/api';
    });
    expect(problems.map(({path, rule, message}) => ({path, rule, message})))
      .toEqual([{path: 'spec.http[0].match[0].uri', rule: 'one-of',
        message: 'at most one of exact, prefix, regex may be set; exact, prefix are set'}]);
  });

  it('metadata is an ObjectMeta in CRDs too, and needs a name', async () => {
    const labels = await problemsAfter(fixture.destinationRule, (dr) => {
      dr.metadata.labels.tier = 3;
      dr.metadata.nmae = 'x';
    });
    expect(brief(labels).sort(byPath)).toEqual([{path: 'metadata.labels.tier', rule: 'type'}, {path: 'metadata.nmae',
      rule: 'unknown-field'}]);
    const nameless = await problemsAfter(fixture.telemetry, (t) => {
      delete t.metadata.name;
    });
    expect(brief(nameless)).toEqual([{path: 'metadata.name', rule: 'required'}]);
  });

  it("Linkerd kinds, against Linkerd's CRDs", async () => {
    const server = await problemsAfter(fixture.linkerdServer, (srv) => {
      delete srv.spec.port;
      srv.spec.podSelector.matchExpressions = [{key: 'tier', operator: 'Within'}];
    });
    expect(brief(server).sort(byPath)).toEqual([{path: 'spec.podSelector.matchExpressions[0].operator', rule: 'enum'}, {
      path: 'spec.port',
      rule: 'required',
    }]);
    const policy = await problemsAfter(fixture.linkerdAuthorizationPolicy, (ap) => {
      delete ap.spec.requiredAuthenticationRefs[0].name;
      ap.spec.targetRef.namespace = 'shop';
    });
    expect(brief(policy).sort(byPath)).toEqual([{path: 'spec.requiredAuthenticationRefs[0].name', rule: 'required'}, {
      path: 'spec.targetRef.namespace',
      rule: 'unknown-field',
    }]);
    const route = await problemsAfter(fixture.linkerdHttpRoute, (r) => {
      r.spec.rules[0].matches[0].path.type = 'Prefix';
    });
    expect(brief(route)).toEqual([{path: 'spec.rules[0].matches[0].path.type', rule: 'enum'}]);
  });

  it('a null array item is still an error', async () => {
    expect(brief(await problemsAfter(fixture.virtualService, (vs) => {
      vs.spec.hosts = [null];
    })))
      .toEqual([{path: 'spec.hosts[0]', rule: 'type'}]);
  });

  it('reports every problem of every object, each with its object', async () => {
    const broken = fixture.copy(fixture.peerAuthentication);
    (broken.spec as Loose).mtls.mode = 'ON';
    (broken.spec as Loose).extra = true;
    const problems = await checkObjects([fixture.service, broken, fixture.deployment]);
    expect(problems.map(({object, path, rule}) => ({name: object.name, kind: object.kind, path, rule})).sort(byPath))
      .toEqual([
        {name: 'default', kind: 'PeerAuthentication', path: 'spec.extra', rule: 'unknown-field'},
        {name: 'default', kind: 'PeerAuthentication', path: 'spec.mtls.mode', rule: 'enum'},
      ]);
  });

  it('gives each object its own problems, in the order given', async () => {
    const broken = fixture.copy(fixture.peerAuthentication);
    (broken.spec as Loose).extra = true;
    const each = await checkEach([fixture.service, broken, fixture.deployment, broken]);
    expect(each.map((problems) => problems.map(({object, path}) => `${object.kind} ${path}`))).toEqual([
      [],
      ['PeerAuthentication spec.extra'],
      [],
      ['PeerAuthentication spec.extra'],
    ]);
  });
});

describe('kinds without a schema', () => {
  it('yield one unknown-kind problem', async () => {
    const custom: KubeObject = {apiVersion: 'example.com/v1', kind: 'Widget', metadata: {name: 'w'}};
    expect(await checkObjects([custom])).toEqual([{type: 'unknown-kind',
      object: {apiVersion: 'example.com/v1', kind: 'Widget', name: 'w'}, path: '', rule: 'unknown-kind',
      message: expect.stringContaining('no schema for apiVersion "example.com/v1" kind "Widget"')}]);
  });

  it('IstioOperator: the pinned Istio no longer ships its CRD', async () => {
    const operator: KubeObject = {apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator',
      metadata: {name: 'control-plane'}, spec: {profile: 'minimal'}};
    expect(brief(await checkObjects([operator]))).toEqual([{path: '', rule: 'unknown-kind'}]);
  });

  it('API machinery envelopes and lists are not objects to apply', async () => {
    const status: KubeObject = {apiVersion: 'v1', kind: 'Status', metadata: {name: 's'}};
    const list: KubeObject = {apiVersion: 'v1', kind: 'PodList', metadata: {name: 'l'}, items: []};
    expect(brief(await checkObjects([status, list]))).toEqual([{path: '', rule: 'unknown-kind'}, {path: '',
      rule: 'unknown-kind'}]);
  });

  it('a version the API server does not serve is unknown too', async () => {
    const old = {...fixture.virtualService, apiVersion: 'networking.istio.io/v1alpha2'};
    expect(brief(await checkObjects([old]))).toEqual([{path: '', rule: 'unknown-kind'}]);
  });
});

describe('when schemas/ is not built', () => {
  it('says to run npm run schemas', async () => {
    const checker = createSchemaChecker(new URL('./no-such-schemas-dir/', import.meta.url));
    await expect(checker.checkObjects([fixture.service])).rejects.toThrow(SchemasNotBuiltError);
    await expect(checker.checkObjects([fixture.service])).rejects.toThrow(/npm run schemas/);
  });
});

function byPath(a: {path: string}, b: {path: string}): number {
  return a.path.localeCompare(b.path);
}
