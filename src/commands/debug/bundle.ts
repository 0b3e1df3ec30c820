import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {clusterFlags} from '../../base/flags.js';
import {singleConnection} from '../../base/flag-input.js';
import {bundleDeps, debugBundle, type BundleResult} from '../../actions/debug/bundle.js';

export default class DebugBundle extends BaseCommand {
  static override summary = 'A support archive (tar.gz) of the namespaces, with every secret redacted';
  static override description =
    `The namespaces' mesh resources, workloads, pods with their status, Services and policies, their events, validate's findings, and manifest.json listing what was collected, what was redacted (object and field) and what was not collected. Secrets keep their keys with every value redacted; fields named like credentials, ConfigMap keys named like tokens or passwords, private keys, JWTs and any copy of a Secret's value are redacted wherever they appear. The file is written 0600 and never over an existing one.`;

  static override examples = ['<%= config.bin %> debug bundle -n shop -n payments -o shop.tar.gz'];

  static override flags = {
    ...clusterFlags,
    namespace: Flags.string({char: 'n', description: "A namespace to collect; repeatable (default: the context's).",
      multiple: true, helpGroup: 'CONNECTION'}),
    output: Flags.string({char: 'o', description: 'The archive to write (default: sparc-mesh-bundle-TIME.tar.gz).'}),
  };

  public async run(): Promise<BundleResult> {
    const {flags} = await this.parse(DebugBundle);
    const result = await debugBundle({connection: singleConnection(flags, 'debug bundle'),
      namespaces: flags.namespace ?? [], ...(flags.output ? {file: flags.output} : {})}, bundleDeps(this.deps));
    this.log(
      `wrote ${result.file}: ${result.manifest.files.length} files, ${result.manifest.redacted.length} values redacted`,
    );
    return result;
  }
}
