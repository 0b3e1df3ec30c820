// Reads the pinned upstream versions from versions.json, the one place where they live.
import {existsSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

/**
 * A source archive kept in the shared folder beside the clone (CI lays out `shared/` next to
 * the repository), for an upstream whose releases the Go module proxy does not serve.
 */
export interface SourceArchive {
  /** Path of the archive inside the shared folder. */
  file: string;
  sha256: string;
  /** The upstream commit the archive was made from. */
  commit: string;
}

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
  /** Built from this archive (a Go module whose `version` is the release tag) instead of from the module proxy. */
  archive?: SourceArchive;
}

export const versionsFile = fileURLToPath(new URL('../../versions.json', import.meta.url));
/** The shared folder beside the repository, as the conformance tests find it. */
export const sharedDir = fileURLToPath(new URL('../../../shared/', import.meta.url));

export function archivePath(archive: SourceArchive): string {
  return join(sharedDir, archive.file);
}

/** Why a pin cannot be built on this machine (its source archive is absent), or undefined. */
export function unbuildableReason(pin: GoPin): string | undefined {
  if (!pin.archive || existsSync(archivePath(pin.archive))) return undefined;
  return `${archivePath(pin.archive)} is absent (the source of ${pin.module} ${pin.version}; see docs/test-cluster.md)`;
}

export function loadGoPins(file = versionsFile): Record<string, GoPin> {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as {go?: Record<string, GoPin>};
  if (!parsed.go) throw new Error(`${file} has no "go" section`);
  return parsed.go;
}

/** The pin, or undefined while versions.json has no version for it (a "TODO"). */
export function usableGoPin(name: string, file = versionsFile): GoPin | undefined {
  const pin = loadGoPins(file)[name];
  return pin?.module && pin.version && (/^v\d/.test(pin.version) || pin.archive) ? pin : undefined;
}

export function goPin(name: string, file = versionsFile): GoPin {
  const pin = usableGoPin(name, file);
  if (!pin) throw new Error(`versions.json has no usable pin for go.${name}`);
  return pin;
}
