// The mesh CLIs `debug` stands on (linkerd viz for edges, routes and tap; istioctl and
// linkerd check for the bundle): a missing binary is one message naming it and how to
// install it (exit 1 for the seed's commands: the machine lacks a tool, the command line is fine).
import {PreconditionError, UsageError} from '../../errors.js';

export type MeshTool = 'linkerd' | 'istioctl';

export const INSTALL: Readonly<Record<MeshTool, string>> = {
  linkerd:
    'install the linkerd CLI with its viz extension (curl -sL https://run.linkerd.io/install-edge | sh, then add ~/.linkerd2/bin to PATH), or pass --linkerd PATH',
  istioctl:
    'install istioctl (curl -sL https://istio.io/downloadIstio | sh -, then add istio-*/bin to PATH), or pass --istioctl PATH',
};

/** The tool runner's answer when the executable is not there. */
export function isMissingTool(error: unknown): boolean {
  return error instanceof UsageError && error.code === 'ToolNotFound';
}

export function missingToolMessage(tool: MeshTool, binary: string): string {
  return `${tool} is not installed: ${JSON.stringify(binary)} was not found`;
}

/** Runs `use`; the tool runner's "not found" becomes the install message. */
export async function withMeshTool<T>(tool: MeshTool, binary: string, use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } catch (error) {
    if (isMissingTool(error)) {
      throw new PreconditionError(missingToolMessage(tool, binary), INSTALL[tool], 'ToolNotFound');
    }
    throw error;
  }
}
