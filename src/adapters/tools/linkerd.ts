// The linkerd CLI, as install will use it. `linkerd check` reports its checks as JSON
// (src/core/install/linkerd-check.ts reads them) and exits 1 when one of them fails, which
// is an answer, not a failure of the tool.
import {ToolError} from '../../errors.js';
import type {KubeConnection} from '../kube/client.js';
import {parseLinkerdCheck, type LinkerdCheckReport} from '../../core/install/linkerd-check.js';
import {connectionArgs, runTool} from './run-tool.js';

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

const SCOPE_FLAGS: Readonly<Record<CheckOptions['scope'], readonly string[]>> = {pre: ['--pre'], crds: ['--crds'], all: []};

export function linkerdCheckArgs(connection: KubeConnection, options: CheckOptions): string[] {
  return [
    'check', ...SCOPE_FLAGS[options.scope], '--output=json', `--wait=${Math.ceil(options.waitMs / 1000)}s`,
    ...(options.controlPlaneNamespace ? ['--linkerd-namespace', options.controlPlaneNamespace] : []),
    ...connectionArgs(connection, '--context'),
  ];
}

/** Runs `linkerd check` and returns every check as a row, passing or not. */
export async function linkerdCheck(linkerd: Linkerd, options: CheckOptions): Promise<LinkerdCheckReport> {
  const args = linkerdCheckArgs(linkerd.connection, options);
  const {stdout, stderr} = await runTool({tool: 'linkerd', binary: linkerd.binary, args, timeoutMs: options.waitMs + 60_000, answeringExitCodes: [1]});
  try {
    return parseLinkerdCheck(stdout);
  } catch (error) {
    throw new ToolError('linkerd', args, undefined, stderr.trim(), (error as Error).message);
  }
}
