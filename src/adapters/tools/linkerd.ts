// The linkerd CLI, as install and upgrade use it. `linkerd check` reports its checks as JSON
// (src/core/install/linkerd-check.ts reads them) and exits 1 when one of them fails, which
// is an answer, not a failure of the tool.
import {ToolError} from '../../errors.js';
import type {KubeConnection} from '../kube/client.js';
import {parseLinkerdCheck, type LinkerdCheckReport} from '../../core/install/linkerd-check.js';
import {connectionArgs, runTool, withInputFile} from './run-tool.js';

export interface Linkerd {
  binary: string;
  connection: KubeConnection;
}

export interface CheckOptions {
  /** `pre`: can Linkerd be installed; `crds`: are its CRDs installed; `all`: the control plane and extensions. */
  scope: 'pre' | 'crds' | 'all';
  /** Namespace of the control plane (linkerd's default: `linkerd`). */
  controlPlaneNamespace?: string;
  /** How long linkerd retries checks that are not passing yet. */
  waitMs: number;
}

const SCOPE_FLAGS: Readonly<Record<CheckOptions['scope'], readonly string[]>> = {pre: ['--pre'], crds: ['--crds'],
  all: []};

export function linkerdCheckArgs(connection: KubeConnection, options: CheckOptions): string[] {
  return [
    'check',
    ...SCOPE_FLAGS[options.scope],
    '--output=json',
    `--wait=${Math.ceil(options.waitMs / 1000)}s`,
    ...(options.controlPlaneNamespace ? ['--linkerd-namespace', options.controlPlaneNamespace] : []),
    ...connectionArgs(connection, '--context'),
  ];
}

/** `linkerd check -o json` as printed; it exits 1 when a check fails, which is its answer. */
async function runLinkerdCheck(linkerd: Linkerd, options: CheckOptions, timeoutMs = options.waitMs + 60_000) {
  const args = linkerdCheckArgs(linkerd.connection, options);
  return {args, ...await runTool({tool: 'linkerd', binary: linkerd.binary, args, timeoutMs, answeringExitCodes: [1]})};
}

/** `linkerd check -o json`'s output, for a support bundle. */
export async function linkerdCheckOutput(linkerd: Linkerd, options: CheckOptions, timeoutMs: number): Promise<string> {
  return (await runLinkerdCheck(linkerd, options, timeoutMs)).stdout;
}

/** Runs `linkerd check` and returns every check as a row, passing or not. */
export async function linkerdCheck(linkerd: Linkerd, options: CheckOptions): Promise<LinkerdCheckReport> {
  const {args, stdout, stderr} = await runLinkerdCheck(linkerd, options);
  try {
    return parseLinkerdCheck(stdout);
  } catch (error) {
    throw new ToolError('linkerd', args, undefined, stderr.trim(), (error as Error).message);
  }
}

/** The Linkerd release a linkerd binary installs (`linkerd version --client --short`, e.g. `edge-26.8.3`). */
export async function linkerdClientVersion(binary: string): Promise<string> {
  const {stdout} = await runTool({tool: 'linkerd', binary, args: ['version', '--client', '--short'],
    timeoutMs: 30_000});
  return stdout.trim();
}

type ManifestPart = {crds: true} | {values: Record<string, unknown>};

/**
 * What `linkerd install` or `linkerd upgrade` would apply, as YAML: the CRDs (`--crds`), or
 * the control plane with `values` (from a 0600 file). linkerd reads the cluster while
 * rendering: install's control plane needs the CRDs and, with an external issuer, the issuer's
 * Secret in place; upgrade starts from the values the installed control plane keeps
 * (Secret linkerd-config-overrides) and lays `values` over them.
 */
async function linkerdManifest(linkerd: Linkerd, verb: 'install' | 'upgrade', part: ManifestPart): Promise<string> {
  const run = (extra: string[]) =>
    runTool({tool: 'linkerd', binary: linkerd.binary, timeoutMs: 120_000,
      args: [verb, ...extra, ...connectionArgs(linkerd.connection, '--context')]});
  if ('crds' in part) return (await run(['--crds'])).stdout;
  // The external issuer is an install-time choice; upgrade keeps it from the installed values.
  const issuer = verb === 'install' ? ['--identity-external-issuer'] : [];
  return withInputFile('values.yaml', part.values, async (file) => (await run([...issuer, '--values', file])).stdout);
}

export const linkerdInstallManifest = (linkerd: Linkerd, part: ManifestPart) =>
  linkerdManifest(linkerd, 'install', part);

export const linkerdUpgradeManifest = (linkerd: Linkerd, part: ManifestPart) =>
  linkerdManifest(linkerd, 'upgrade', part);

/**
 * `linkerd viz VERB ARGS...` (edges, routes, tap): its table as printed. With `onLine`, each
 * line is passed on as it comes and there is no time limit (tap streams until interrupted).
 */
export async function linkerdViz(linkerd: Linkerd, verb: 'edges' | 'routes' | 'tap', args: readonly string[],
  onLine?: (line: string) => void): Promise<string>
{
  const {stdout} = await runTool({tool: 'linkerd', binary: linkerd.binary,
    args: ['viz', verb, ...args, ...connectionArgs(linkerd.connection, '--context')],
    ...(onLine ? {onLine} : {timeoutMs: 120_000})});
  return stdout;
}
