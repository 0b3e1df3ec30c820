import {Flags} from '@oclif/core';
import {grafanaCredentials, type GrafanaCredentials} from '../../../actions/observability/credentials.js';
import {loadPlatform} from '../../../actions/config-input.js';
import {BaseCommand} from '../../../base/command.js';
import {singleConnection} from '../../../base/flag-input.js';
import {connectionFlags, renderInputFlags} from '../../../base/flags.js';
import {GRAFANA_SECRET} from '../../../core/observability/charts.js';

export default class ObservabilityCredentialsGrafana extends BaseCommand {
  static override summary = "Show where Grafana's admin login is; print the password only with --show.";
  static override description =
    `Reads the Secret ${GRAFANA_SECRET.name} that observability setup generated (in the config's observability namespace, or -n). Without --show it prints the user and where the password is kept, never the password; with --show it prints the password too (in --json as well).`;
  static override examples = [
    {description: 'Where the password is', command: '<%= config.bin %> <%= command.id %>'},
    {description: 'Print it', command: '<%= config.bin %> <%= command.id %> --show'},
  ];

  static override flags = {
    show: Flags.boolean({description: 'Print the password.', default: false}),
    ...connectionFlags,
    config: renderInputFlags.config,
  };

  public async run(): Promise<GrafanaCredentials> {
    const {flags} = await this.parse(ObservabilityCredentialsGrafana);
    const namespace = flags.namespace ?? (await loadPlatform(flags.config)).platform.observability.namespace;
    const result = await grafanaCredentials({connection: singleConnection(flags, 'observability credentials grafana'),
      namespace, show: flags.show}, this.deps);
    this.deps.out(result.password === undefined
      ? `user: ${result.user}\npassword: in Secret ${result.namespace}/${result.secret}, key ${GRAFANA_SECRET.passwordKey} (--show prints it)\n`
      : `user: ${result.user}\npassword: ${result.password}\n`);
    return result;
  }
}
