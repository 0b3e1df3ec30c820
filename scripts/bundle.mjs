// Bundles the CLI for start-up speed: loading @oclif/core as ~100 separate CommonJS files
// costs several times what parsing one minified file does. Every command file stays an
// entry point (oclif still finds dist/commands/** by pattern) and code splitting keeps one
// shared copy of oclif and of our modules. Heavy, rarely needed packages stay external and
// are imported lazily where they are used (the Kubernetes client, execa, prompts, listr2).
import {readdirSync, rmSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {build} from 'esbuild';

function commandFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? commandFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const started = Date.now();
// Chunk names carry content hashes: clear the old ones so dist/ holds only this build.
rmSync('dist/chunks', {recursive: true, force: true});
await build({
  // parse-worker: the worker thread validate parses large trees with (found by path, so it is an entry).
  entryPoints: ['src/main.ts', 'src/adapters/files/parse-worker.ts', ...commandFiles('src/commands')],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  minify: true,
  chunkNames: 'chunks/[name]-[hash]',
  external: ['@kubernetes/client-node', 'execa', 'listr2', '@inquirer/prompts', 'typescript', 'ts-node', 'tsx', '@oclif/plugin-*'],
  // oclif is CommonJS: its require() calls need a real require inside an ES module.
  banner: {js: "import {createRequire as __sparcMeshRequire} from 'node:module'; const require = __sparcMeshRequire(import.meta.url);"},
  logLevel: 'warning',
});
console.log(`bundled the CLI in ${Date.now() - started} ms`);
