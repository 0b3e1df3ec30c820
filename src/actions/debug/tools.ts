// The mesh CLI `debug` stands on (linkerd viz for edges, routes and tap): a missing binary
// is one message naming it and how to install it (exit 1: the machine lacks a tool, the
// command line is fine).
import {PreconditionError, UsageError} from '../../errors.js';

export type MeshTool = 'linkerd';

const INSTALL: Readonly<Record<MeshTool, string>> = {
  linkerd:
    'install the linkerd CLI with its viz extension (curl -sL https://run.linkerd.io/install-edge | sh, then add ~/.linkerd2/bin to PATH), or pass --linkerd PATH',
};

/** Runs `use`; the tool runner's "not found" becomes the install message. */
export async function withMeshTool<T>(tool: MeshTool, binary: string, use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } catch (error) {
    if (error instanceof UsageError && error.code === 'ToolNotFound') {
      throw new PreconditionError(`${tool} is not installed: ${JSON.stringify(binary)} was not found`, INSTALL[tool],
        'ToolNotFound');
    }
    throw error;
  }
}
