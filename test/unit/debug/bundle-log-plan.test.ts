import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';
import {readLogTail} from '../../../src/actions/debug/bundle-logs.js';
import {FakeKubeClient} from '../../../src/adapters/kube/fake.js';
import {tarArchive} from '../../../src/core/debug/tar.js';
import {logTargets} from '../../../src/core/debug/log-plan.js';
import {LOG_ATTEMPTS, LOG_LIMIT_BYTES, tailStep} from '../../../src/core/debug/log-tail.js';
import type {KubeObject} from '../../../src/core/objects.js';
import {istiod, linkerdControlPlanePod, pod} from './cluster-objects.js';

function restarted(object: KubeObject, container: string): KubeObject {
  const status = object.status as {containerStatuses: {name: string; restartCount: number}[]};
  return {...object,
    status: {...status,
      containerStatuses: status.containerStatuses.map((entry) =>
        entry.name === container ? {...entry, restartCount: 2} : entry
      )}};
}

const files = (pods: KubeObject[], namespaces: string[]) => logTargets(pods, namespaces).map((target) => target.file);

describe('which logs a bundle reads', () => {
  it('reads the mesh proxy of each pod in the bundled namespaces, and not its application', () => {
    expect(
      files([pod('shop', 'web-1', {app: 'web'}), pod('shop', 'cart-1', {app: 'cart', proxy: 'linkerd'}),
        pod('shop', 'plain-1', {app: 'plain', proxy: 'none'}), pod('other', 'api-1', {app: 'api'})], ['shop']),
    )
      .toEqual(['logs/shop/cart-1/linkerd-proxy.log', 'logs/shop/web-1/istio-proxy.log']);
  });

  it('reads every container of the control planes, native sidecars included, whatever is bundled', () => {
    const gateway = {...pod('istio-system', 'istio-ingressgateway-1', {app: 'istio-ingressgateway'})};
    expect(
      files([istiod('1.30.3'), gateway, linkerdControlPlanePod('destination'), linkerdControlPlanePod('identity'), {
        ...linkerdControlPlanePod('web'),
        metadata: {name: 'web-1', namespace: 'linkerd-viz', labels: {'linkerd.io/control-plane-component': 'web'}},
      }], ['shop']),
    ).toEqual([
      'logs/istio-system/istiod-1/discovery.log',
      'logs/linkerd/linkerd-destination-1/destination.log',
      'logs/linkerd/linkerd-destination-1/linkerd-proxy.log',
      'logs/linkerd/linkerd-destination-1/policy.log',
      'logs/linkerd/linkerd-identity-1/identity.log',
      'logs/linkerd/linkerd-identity-1/linkerd-proxy.log',
    ]);
  });

  it('adds the previous instance of a container that restarted, once per pod', () => {
    const web = restarted(pod('shop', 'web-1', {app: 'web'}), 'istio-proxy');
    expect(logTargets([web, web], ['shop'])).toEqual([
      {namespace: 'shop', pod: 'web-1', container: 'istio-proxy', previous: false,
        file: 'logs/shop/web-1/istio-proxy.log'},
      {namespace: 'shop', pod: 'web-1', container: 'istio-proxy', previous: true,
        file: 'logs/shop/web-1/istio-proxy.previous.log'},
    ]);
  });
});

describe('a log tail bounded in bytes', () => {
  it('keeps an answer within the limit as it is', () => {
    expect(tailStep({text: 'a\nb\n', cut: false}, 200, 200, 1)).toEqual({keep: {text: 'a\nb\n'}});
  });

  it('asks again for the lines that fitted, so that the newest lines are the ones kept', () => {
    expect(tailStep({text: 'old\nolder\nhalf a li', cut: true}, 200, 200, 1)).toEqual({askAgain: 2});
    expect(tailStep({text: 'new\nnewest\n', cut: false}, 2, 200, 2)).toEqual({
      keep: {text: 'new\nnewest\n',
        cut: `the newest 2 lines: the last 200 are more than ${LOG_LIMIT_BYTES / 1024} KiB`},
    });
  });

  it('halves the tail when not even one line fitted', () => {
    expect(tailStep({text: 'x'.repeat(100), cut: true}, 200, 200, 1)).toEqual({askAgain: 100});
  });

  it('after the last attempt keeps the whole lines only, and says why', () => {
    expect(tailStep({text: 'a\nb\nhalf', cut: true}, 50, 200, LOG_ATTEMPTS)).toEqual({
      keep: {text: 'a\nb\n', cut: `cut at ${LOG_LIMIT_BYTES / 1024} KiB: the oldest 2 of the last 50 lines`},
    });
    expect(tailStep({text: 'password=hunter2-but-cu', cut: true}, 1, 200, 1)).toEqual({
      keep: {text: '', cut: `its lines are longer than ${LOG_LIMIT_BYTES / 1024} KiB: none kept`},
    });
  });
});

describe('reading a log tail from the API server', () => {
  it('keeps the newest lines when the tail asked for is longer than the byte limit', async () => {
    const line = (index: number) => `${String(index).padStart(4, '0')} ${'x'.repeat(4090)}\n`;
    const log = Array.from({length: 300}, (_, index) => line(index)).join('');
    const client = new FakeKubeClient({containerLogs: {'shop/web-1/istio-proxy': log}});
    const kept = await readLogTail(client, {namespace: 'shop', pod: 'web-1', container: 'istio-proxy', previous: false,
      file: 'logs/shop/web-1/istio-proxy.log'}, 200);
    const lines = kept.text.split('\n').filter(Boolean);
    expect(lines.at(-1)).toBe(line(299).trim());
    expect(lines).toHaveLength(Math.floor(LOG_LIMIT_BYTES / line(0).length));
    expect(kept.cut).toBe(`the newest ${lines.length} lines: the last 200 are more than ${LOG_LIMIT_BYTES / 1024} KiB`);
  });
});

describe('the archive', () => {
  it("holds names longer than ustar's 100 bytes, through pax headers", () => {
    const name = `logs/payments-production/${'checkout-api-7d9f8b6c5d-'.repeat(5)}x/istio-proxy.previous.log`;
    const listed = execFileSync('tar', ['-tf', '-'], {
      input: tarArchive([{name, content: 'a\n'}, {name: 'manifest.json', content: '{}'}], 0),
    }).toString();
    expect(listed).toBe(`${name}\nmanifest.json\n`);
  });
});
