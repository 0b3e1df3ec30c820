import {describe, expect, it} from 'vitest';
import type {KubeObject} from '../../../src/core/objects.js';
import {ServiceBackendError, serviceBackend, serviceSelector} from '../../../src/core/service-backend.js';

const service = (ports: Record<string, unknown>[], selector: Record<string, string> | null = {app: 'web'}) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: {name: 'web', namespace: 'shop'},
  spec: {ports, ...(selector ? {selector} : {})},
});

function pod(name: string,
  options: {ready?: boolean; phase?: string; deleting?: boolean; ports?: {name: string; containerPort: number}[]} =
    {}): KubeObject
{
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {name, namespace: 'shop', labels: {app: 'web'},
      ...(options.deleting ? {deletionTimestamp: '2026-12-06T00:00:00Z'} : {})},
    spec: {containers: [{name: 'web', ports: options.ports ?? []}]},
    status: {phase: options.phase ?? 'Running',
      conditions: [{type: 'Ready', status: options.ready === false ? 'False' : 'True'}]},
  };
}

function failure(run: () => unknown): ServiceBackendError {
  try {
    run();
  } catch (error) {
    if (error instanceof ServiceBackendError) return error;
    throw error;
  }
  throw new Error('expected a ServiceBackendError');
}

describe('serviceBackend', () => {
  it('lands a numeric targetPort on the first ready pod by name', () => {
    const pods = [pod('web-b'), pod('web-a', {ready: false}), pod('web-c')];
    expect(serviceBackend(service([{port: 80, targetPort: 8080}]), pods, 80)).toEqual({pod: 'web-b', podPort: 8080});
  });

  it('takes the Service port itself when there is no targetPort, and finds a port by its name', () => {
    const target = service([{name: 'http', port: 9090}]);
    expect(serviceBackend(target, [pod('web-0')], 9090)).toEqual({pod: 'web-0', podPort: 9090});
    expect(serviceBackend(target, [pod('web-0')], 'http')).toEqual({pod: 'web-0', podPort: 9090});
  });

  it('looks a named targetPort up in the pod, skipping ready pods that lack it', () => {
    const target = service([{name: 'http-web', port: 80, targetPort: 'grafana'}]);
    const pods = [pod('a-old'), pod('b-new', {ports: [{name: 'grafana', containerPort: 3000}]})];
    expect(serviceBackend(target, pods, 80)).toEqual({pod: 'b-new', podPort: 3000});
  });

  it('passes over pods that are not running, not ready or being deleted', () => {
    const pods = [pod('a', {phase: 'Pending'}), pod('b', {ready: false}), pod('c', {deleting: true})];
    const error = failure(() => serviceBackend(service([{port: 80}]), pods, 80));
    expect(error.reason).toBe('no-ready-pod');
    expect(error.message).toBe('Service shop/web port 80: none of its 3 selected pods are ready');
  });

  it('names the container port a named targetPort needs when no ready pod has it', () => {
    const error = failure(() => serviceBackend(service([{port: 80, targetPort: 'grafana'}]), [pod('a')], 80));
    expect(error.message).toBe(
      'Service shop/web port 80: none of its 1 selected pod is ready with a container port named grafana',
    );
  });

  it('refuses a port the Service does not have, listing the ones it has', () => {
    const error = failure(() => serviceBackend(service([{name: 'http', port: 80}, {port: 443}]), [pod('a')], 8080));
    expect(error.reason).toBe('no-such-port');
    expect(error.message).toBe('Service shop/web has no port 8080 (it has: 80 (http), 443)');
  });

  it('refuses a Service without a selector', () => {
    const error = failure(() => serviceBackend(service([{port: 80}], null), [], 80));
    expect(error.reason).toBe('no-selector');
  });
});

describe('serviceSelector', () => {
  it('joins the selector as a label selector, or gives undefined for none', () => {
    expect(serviceSelector(service([], {app: 'web', tier: 'front'}))).toBe('app=web,tier=front');
    expect(serviceSelector(service([], null))).toBeUndefined();
  });
});
