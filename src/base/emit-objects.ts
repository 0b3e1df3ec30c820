// The sinks for rendered objects that touch no cluster: stdout, or one file per object.
import {writeOutputDir} from '../adapters/files/output-dir.js';
import type {KubeObject} from '../core/objects.js';
import {objectFileName} from '../core/render/pipeline.js';
import {toJsonList, toYamlDocument, toYamlStream} from '../ui/manifests.js';

export interface OfflineSinkFlags {
  'dry-run'?: string;
  output: 'yaml' | 'json';
  'output-dir'?: string;
  /** With --output-dir: overwrite files of the same name that sparc-mesh did not write. */
  force?: boolean;
}

/**
 * `--dry-run` (client) and `--output-dir` print or write; anything else goes to a cluster.
 * An --output-dir that is given stays offline even when empty, so that it is refused there.
 */
export function isOfflineSink(flags: OfflineSinkFlags): boolean {
  return flags['dry-run'] === 'client' || flags['output-dir'] !== undefined;
}

/**
 * Prints the objects, or writes them under --output-dir (one file each, stable names), through
 * `out` (silent under --json, whose envelope carries the objects).
 * `withheld` maps an object printed with placeholders for its keys (a Secret) to its full
 * form, which only --output-dir writes, into a file only its owner can read.
 */
export function emitObjects(objects: readonly KubeObject[], flags: OfflineSinkFlags, out: (text: string) => void,
  withheld: ReadonlyMap<KubeObject, KubeObject> = new Map()): void
{
  const outputDir = flags['output-dir'];
  if (outputDir !== undefined) {
    const files = objects.map((object, index) => {
      const full = withheld.get(object);
      return {name: objectFileName(object, index), content: toYamlDocument(full ?? object),
        ownerOnly: full !== undefined};
    });
    const {written, removed} = writeOutputDir(outputDir, files, {force: flags.force});
    const stale = removed.length
      ? `; removed ${removed.length} that an earlier run wrote and this one does not: ${removed.join(', ')}`
      : '';
    out(`wrote ${written.length} files to ${outputDir}${stale}\n`);
    return;
  }
  out(flags.output === 'json' ? toJsonList(objects) : toYamlStream(objects));
}
