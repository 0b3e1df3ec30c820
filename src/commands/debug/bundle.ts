import {Flags} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {clusterFlags} from '../../base/flags.js';
import {singleConnection} from '../../base/flag-input.js';
import {bundleDeps, debugBundle, type BundleResult} from '../../actions/debug/bundle.js';
import {MAX_TAIL_LINES} from '../../core/debug/log-tail.js';
import {invalidFlag} from '../../errors.js';

const DEFAULT_TAIL_LINES = 200;
/** Longest wait for one mesh CLI check. */
const CHECK_TIMEOUT_MS = 60_000;

export default class DebugBundle extends BaseCommand {
  static override summary = 'A support archive (tar.gz) of the namespaces, with every secret redacted';
  static override description =
    `The namespaces' mesh resources, workloads, pods with their status, Services and policies, their events, validate's findings, the log tails of every mesh proxy in the namespaces and of the control planes (istiod; Linkerd's destination, identity and proxy-injector), with the previous instance's of a container that restarted, the mesh CLIs' checks (istioctl analyze -A and istioctl version when Istio runs, linkerd check when Linkerd does), and manifest.json listing what was collected, what was redacted (object and field, file and line) and what was not collected and why. Secrets keep their keys with every value redacted; fields named like credentials, ConfigMap keys named like tokens or passwords, private keys, JWTs, Bearer credentials, passwords in URLs, credential-named key=value pairs and any copy of a Secret's value are redacted wherever they appear, logs and checks included. A log that cannot be read and a missing or hung mesh CLI are listed in the manifest, not failures. The file is written 0600 and never over an existing one.`;

  static override examples = ['<%= config.bin %> debug bundle -n shop -n payments -o shop.tar.gz',
    '<%= config.bin %> debug bundle -n shop --tail 1000 --no-checks'];

  static override flags = {
    ...clusterFlags,
    namespace: Flags.string({char: 'n', description: "A namespace to collect; repeatable (default: the context's).",
      multiple: true, helpGroup: 'CONNECTION'}),
    output: Flags.string({char: 'o', description: 'The archive to write (default: sparc-mesh-bundle-TIME.tar.gz).'}),
    tail: Flags.integer({description: `Lines of each container log's tail (default ${DEFAULT_TAIL_LINES}).`, min: 1,
      max: MAX_TAIL_LINES}),
    logs: Flags.boolean({
      description: "Collect the proxies' and control planes' log tails (--no-logs to leave them out).",
      default: true,
      allowNo: true,
    }),
    checks: Flags.boolean({description: "Run the mesh CLIs' checks (--no-checks to leave them out).", default: true,
      allowNo: true}),
    istioctl: Flags.string({description: 'The istioctl executable (istioctl analyze and version, when Istio runs).',
      default: 'istioctl', env: 'SPARC_MESH_ISTIOCTL', helpGroup: 'TOOLS'}),
    linkerd: Flags.string({description: 'The linkerd executable (linkerd check, when Linkerd runs).',
      default: 'linkerd', env: 'SPARC_MESH_LINKERD', helpGroup: 'TOOLS'}),
  };

  public async run(): Promise<BundleResult> {
    const {flags} = await this.parse(DebugBundle);
    if (!flags.logs && flags.tail !== undefined) {
      throw invalidFlag('tail', flags.tail, 'is a tail of the logs that --no-logs leaves out',
        'drop --tail or --no-logs');
    }
    const connection = singleConnection(flags, 'debug bundle');
    const result = await debugBundle({connection, namespaces: flags.namespace ?? [],
      ...(flags.output ? {file: flags.output} : {}),
      ...(flags.logs ? {tailLines: flags.tail ?? DEFAULT_TAIL_LINES} : {}), checks: flags.checks,
      istioctl: flags.istioctl, linkerd: flags.linkerd, checkTimeoutMs: CHECK_TIMEOUT_MS}, bundleDeps(this.deps));
    this.log(
      `wrote ${result.file}: ${result.manifest.files.length} files (${result.manifest.logs.length} logs), ${result.manifest.redacted.length} values redacted, ${result.manifest.notCollected.length} parts not collected (see manifest.json)`,
    );
    return result;
  }
}
