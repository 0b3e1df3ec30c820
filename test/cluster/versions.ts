// Reads the pinned upstream versions from versions.json, the one place where they live.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

export interface GoPin {
  /** Go module path, e.g. k8s.io/kubernetes. */
  module: string;
  /** Exact module version as the Go module proxy serves it (tag or pseudo-version). */
  version: string;
  /** Upstream release name when the module version is not the release tag itself. */
  release?: string;
  /** The release tag that `version` resolves to, or the nearest one, for stamping. */
  stamp?: string;
  /**
   * Dependency versions that replace upstream's requirements, for dependencies whose required
   * version the Go module proxy does not serve (module path → version).
   */
  replace?: Record<string, string>;
}

export const versionsFile = fileURLToPath(new URL('../../versions.json', import.meta.url));

export function loadGoPins(file = versionsFile): Record<string, GoPin> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {go?: Record<string, GoPin>};
  if (!parsed.go) throw new Error(`${file} has no "go" section`);
  return parsed.go;
}

/** The pin, or undefined while versions.json has no version for it (a "TODO"). */
export function usableGoPin(name: string, file = versionsFile): GoPin | undefined {
  const pin = loadGoPins(file)[name];
  return pin?.module && pin.version && /^v\d/.test(pin.version) ? pin : undefined;
}

export function goPin(name: string, file = versionsFile): GoPin {
  const pin = usableGoPin(name, file);
  if (!pin) throw new Error(`versions.json has no usable pin for go.${name}`);
  return pin;
}
