// The GitOps path: one file per object under --output-dir, written only after every
// object rendered and passed its schema, so a failure leaves nothing half-written.
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export interface OutputFile {
  name: string;
  content: string;
  /** Holds a private key: created anew with mode 0600, so that only its owner can read it. */
  ownerOnly?: boolean;
}

export function writeOutputDir(dir: string, files: readonly OutputFile[]): string[] {
  mkdirSync(dir, {recursive: true});
  return files.map((file) => {
    const path = join(dir, file.name);
    if (file.ownerOnly) {
      // A mode applies only when a file is created; an earlier file may be readable by others.
      rmSync(path, {force: true});
      writeFileSync(path, file.content, {mode: 0o600, flag: 'wx'});
    } else {
      writeFileSync(path, file.content);
    }
    return path;
  });
}
