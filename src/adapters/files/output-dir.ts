// The GitOps path: one file per object under --output-dir, written only after every
// object rendered and passed its schema, so a failure leaves nothing half-written.
import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

export interface OutputFile {
  name: string;
  content: string;
}

export function writeOutputDir(dir: string, files: readonly OutputFile[]): string[] {
  mkdirSync(dir, {recursive: true});
  return files.map((file) => {
    const path = join(dir, file.name);
    writeFileSync(path, file.content);
    return path;
  });
}
