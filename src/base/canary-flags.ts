// The flags that name the service of a canary command, shared by `canary run` and
// `canary rollback`, and the service they resolve to (config entry, profile, flags).
import {Flags} from '@oclif/core';
import {resolveCanaryService, type CanaryOverrides} from '../actions/canary/service-input.js';
import {MESHES, PROFILES} from '../core/config/types.js';
import {connectionFlags, renderInputFlags} from './flags.js';

export const canaryServiceFlags = {
  service: Flags.string({char: 's', description: 'Service name (its Deployment and Service carry this name).',
    required: true}),
  namespace: connectionFlags.namespace,
  mesh: Flags.string({char: 'm', description: "Service mesh (default: the config's mesh, else istio).",
    options: [...MESHES]}),
  profile: Flags.string({char: 'p', description: "Service profile, for its canary defaults (default: the config's).",
    options: [...PROFILES]}),
  config: renderInputFlags.config,
};

const FLAG_OF_SETTING = {
  mesh: '--mesh',
  namespace: '--namespace',
  profile: '--profile',
  stepWeight: '--step-weight',
  maxWeight: '--max-weight',
  interval: '--interval',
  threshold: '--threshold',
  minSuccessRate: '--min-success-rate',
  maxLatencyMs: '--max-latency-ms',
  window: '--window',
};

export function canaryServiceInput(
  flags: {service: string; namespace?: string; mesh?: string; profile?: string; config?: string},
  canary: CanaryOverrides = {},
) {
  return resolveCanaryService({service: flags.service, namespace: flags.namespace, mesh: flags.mesh,
    profile: flags.profile, config: flags.config, canary, names: FLAG_OF_SETTING});
}
