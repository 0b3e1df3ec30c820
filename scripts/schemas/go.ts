// The only way sources are fetched: `go mod download`, which verifies modules against the
// checksum database and leaves them in the Go module cache (downloaded once per machine).
import {execFileSync} from 'node:child_process';

const GO = '/usr/local/go/bin/go';

interface DownloadResult {
  Dir?: string;
  Error?: string;
}

/** Directory of `module@version` in the module cache, downloading it if needed. */
export function moduleDir(module: string, version: string): string {
  let output: string;
  try {
    output = execFileSync(GO, ['mod', 'download', '-json', `${module}@${version}`], {encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe']});
  } catch (error) {
    const failed = error as {stdout?: string; stderr?: string; message: string};
    const reported = failed.stdout ? (JSON.parse(failed.stdout) as DownloadResult).Error : undefined;
    throw new Error(`go mod download ${module}@${version} failed: ${reported ?? failed.stderr ?? failed.message}`);
  }
  const result = JSON.parse(output) as DownloadResult;
  if (result.Error || !result.Dir) {
    throw new Error(`go mod download ${module}@${version} failed: ${result.Error ?? 'no Dir in its output'}`);
  }
  return result.Dir;
}
