// A Flagger Canary as onboard renders it (interval, threshold, weights, the two built-in
// metrics), with the status Flagger would have written.
import type {KubeObject} from '../../../src/core/objects.js';

export function canaryObject(status: Record<string, unknown>, spec: Record<string, unknown> = {},
  annotations?: Record<string, string>): KubeObject
{
  return {
    apiVersion: 'flagger.app/v1beta1',
    kind: 'Canary',
    metadata: {name: 'reports', namespace: 'sparc', ...(annotations ? {annotations} : {})},
    spec: {
      targetRef: {apiVersion: 'apps/v1', kind: 'Deployment', name: 'reports'},
      analysis: {interval: '10s', threshold: 2, maxWeight: 30, stepWeight: 10, metrics: [
        {name: 'request-success-rate', interval: '1m', thresholdRange: {min: 99}},
        {name: 'request-duration', interval: '1m', thresholdRange: {max: 500}},
      ]},
      ...spec,
    },
    status,
  };
}
