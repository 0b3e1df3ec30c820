// Where the package's own data lives (templates/, schemas/, package.json). Found by
// walking up from this module, so it is right from src/ (development) and from the
// bundle in dist/ alike.
import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

function findPackageRoot(start: string): string {
  for (let dir = start;; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'sparc-mesh') {
      return dir;
    }
    if (dirname(dir) === dir) throw new Error(`sparc-mesh's package.json was not found above ${start}`);
  }
}

export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
