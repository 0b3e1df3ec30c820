// Writes a support archive: the tar bytes gzipped into a new file, readable by its owner
// only (0600), never over an existing file.
import {writeFile} from 'node:fs/promises';
import {gzipSync} from 'node:zlib';
import {invalidFile} from '../../errors.js';

export async function writeGzipArchive(file: string, tar: Uint8Array): Promise<void> {
  try {
    await writeFile(file, gzipSync(tar), {mode: 0o600, flag: 'wx'});
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw invalidFile(file, 'exists; sparc-mesh does not overwrite a bundle', undefined, 'choose another -o FILE');
    }
    throw invalidFile(file, `cannot be written: ${(error as Error).message}`);
  }
}
