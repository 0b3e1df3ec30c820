// The CEL evaluator (@bufbuild/cel) loads only when a rule needs it: rules the generator
// compiled to JavaScript judge common objects without it (a tenth of a short command's
// start-up), and the first rule that needs it stops the walk, which the schema checker then
// repeats with the evaluator loaded. This file never loads it itself: vitest gives each test
// file its own modules, so nothing here starts with the evaluator in place.
import {describe, expect, it} from 'vitest';
import {createSchemaChecker} from '../../../src/adapters/schemas/index.js';
import {ValidatorStore} from '../../../src/adapters/schemas/validators.js';
import {CelEvaluatorNeeded, KindRules} from '../../../src/core/schema/cel/evaluate.js';
import type {CelNode} from '../../../src/core/schema/cel/types.js';
import type {KubeObject} from '../../../src/core/objects.js';

const peerAuthentication = (spec: Record<string, unknown>): KubeObject => ({apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication', metadata: {name: 'p', namespace: 'shop'}, spec});

const serviceEntry = (address: string): KubeObject => ({apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry',
  metadata: {name: 's', namespace: 'shop'},
  spec: {hosts: ['x.example.com'], resolution: 'STATIC', ports: [{number: 80, name: 'http', protocol: 'HTTP'}],
    endpoints: [{address}]}});

function rulesOfKind(object: KubeObject): KindRules {
  const validator = new ValidatorStore().validatorFor(object.apiVersion, object.kind) as {cel?: CelNode} | undefined;
  if (!validator?.cel) throw new Error(`${object.kind} has no CEL rules`);
  return new KindRules(validator.cel);
}

describe('loading the CEL evaluator only when a rule needs it', () => {
  it('judges what onboard renders (every rule met is compiled) without the evaluator, passing and failing', () => {
    const strict = peerAuthentication({mtls: {mode: 'STRICT'}, selector: {matchLabels: {app: 'checkout'}}});
    const rules = rulesOfKind(strict);
    expect(rules.evaluate(strict)).toEqual([]);
    // Port-level mTLS without a selector: PeerAuthentication's own rule refuses it, still without the evaluator.
    const failures = rules.evaluate(peerAuthentication({portLevelMtls: {'8080': {mode: 'DISABLE'}}}));
    expect(failures.map((failure) => failure.field)).toEqual([['spec']]);
  });

  it('stops with CelEvaluatorNeeded at a rule that is not compiled, and the checker then loads the evaluator', async () => {
    // `self.substring(7, 8)` (ServiceEntry's unix:// address rule) is outside the compiled part of CEL.
    const unixAddress = serviceEntry('unix://relative.sock');
    expect(() => rulesOfKind(unixAddress).evaluate(unixAddress)).toThrow(CelEvaluatorNeeded);
    const problems = await createSchemaChecker().checkObjects([unixAddress, serviceEntry('unix:///abs.sock')]);
    expect(problems.map(({path, rule}) => ({path, rule}))).toEqual([
      {path: 'spec.endpoints[0].address', rule: 'cel'},
    ]);
    // Once loaded, it stays for the process: the same walk no longer stops.
    expect(rulesOfKind(unixAddress).evaluate(unixAddress)).toHaveLength(1);
  });
});
