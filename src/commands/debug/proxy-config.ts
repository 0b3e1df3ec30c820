import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {connectionFlags, outputFlag} from '../../base/flags.js';
import {refuseIgnored, singleConnection} from '../../base/flag-input.js';
import {printed} from '../../base/validate-flags.js';
import {proxyConfig, proxyConfigDeps} from '../../actions/debug/proxy-config.js';
import type {ProxyConfigSummary} from '../../core/debug/envoy-config.js';
import {PROXY_CONFIG_FORMATS, PROXY_CONFIG_PARTS, renderProxyConfig} from '../../ui/proxy-config.js';

export default class DebugProxyConfig extends BaseCommand {
  static override summary = "A sidecar's Envoy configuration as istioctl proxy-config summarises it";
  static override description =
    `Clusters (with circuit-breaker thresholds and outlier detection), listeners, routes and endpoints with their health, from the live sidecar's admin port (port 15000, through the API server's port-forward, as istioctl reads it) or from a saved config dump (--file).`;

  static override examples = [
    '<%= config.bin %> debug proxy-config clusters deploy/checkout -n shop',
    '<%= config.bin %> debug proxy-config all checkout-7d9f6c-x2x -n shop -o json',
    '<%= config.bin %> debug proxy-config endpoints --file config_dump.json',
  ];

  static override args = {
    part: Args.string({description: 'What to show.', options: [...PROXY_CONFIG_PARTS], required: true}),
    target: Args.string({description: 'POD, deploy/NAME or svc/NAME; leave out with --file.'}),
  };

  static override flags = {
    ...connectionFlags,
    file: Flags.string({char: 'f', description: 'A saved Envoy config dump (JSON) instead of the live proxy.'}),
    output: outputFlag(PROXY_CONFIG_FORMATS, 'table'),
  };

  public async run(): Promise<ProxyConfigSummary> {
    const {args, flags} = await this.parse(DebugProxyConfig);
    if (flags.file !== undefined) {
      refuseIgnored(flags, ['namespace', 'context', 'kubeconfig'], 'with --file (the saved dump is read, no cluster)');
    }
    const summary = await proxyConfig({connection: singleConnection(flags, 'debug proxy-config'),
      namespace: flags.namespace, target: args.target, file: flags.file}, proxyConfigDeps(this.deps));
    if (!this.jsonEnabled()) {
      printed(renderProxyConfig(args.part as (typeof PROXY_CONFIG_PARTS)[number], flags.output, summary),
        (line) => this.log(line));
    }
    return summary;
  }
}
