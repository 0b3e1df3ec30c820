// `debug edges|routes|tap`: the seed's Linkerd commands (`linkerd viz edges|routes|tap`)
// behind sparc-mesh's flags: the namespace of the run, the kubeconfig and context, and one
// message when the linkerd CLI is missing.
import type {KubeConnection} from '../../adapters/kube/client.js';
import {linkerdViz} from '../../adapters/tools/linkerd.js';
import {withMeshTool} from './tools.js';

export interface LinkerdVizInput {
  verb: 'edges' | 'routes' | 'tap';
  /** What linkerd viz takes: a resource type for edges (`deploy`), a resource for routes and tap (`deploy/web`). */
  resource: string;
  namespace?: string;
  connection: KubeConnection;
  linkerd: string;
  /** Each line as it comes (tap); without it the output is returned whole. */
  onLine?: (line: string) => void;
}

export async function debugLinkerdViz(input: LinkerdVizInput): Promise<string> {
  const args = [input.resource, ...(input.namespace ? ['--namespace', input.namespace] : [])];
  return withMeshTool('linkerd', input.linkerd,
    () => linkerdViz({binary: input.linkerd, connection: input.connection}, input.verb, args, input.onLine));
}
