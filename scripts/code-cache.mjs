// Writes the V8 code cache of every bundle in dist/ (dist/index.js and each command's): the
// CLI is loaded and runs the commands that most need a quick start, in this process, with
// their output discarded; V8's code cache taken afterwards holds the functions they compiled,
// not only the top level. Commands the training does not run are loaded, so their caches
// hold at least their top level. The commands render only (no cluster, no files written).
// The schema validators the training loads get their caches rewritten the same way: the
// generator's (scripts/schemas/generate.ts) hold only what checking an empty object compiles,
// and a real object reaches functions that V8 would otherwise compile on every run.
import {mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import vm from 'node:vm';
import {BUNDLE, codeCacheFile, loadCli} from '../bin/load-cli.js';

/** Every validator module the training compiles (src/adapters/schemas/validators.ts compiles them with vm.Script). */
const SCHEMAS = fileURLToPath(new URL('../schemas/', import.meta.url));
const validatorScripts = new Map();
vm.Script = class extends vm.Script {
  constructor(code, options) {
    super(code, options);
    if (options?.filename?.startsWith(SCHEMAS) && options.filename.endsWith('.cjs')) {
      validatorScripts.set(options.filename, this);
    }
  }
};

const TRAINING = [
  ['onboard', '-s', 'new-service', '-n', 'sparc', '-m', 'istio', '--enable-canary', '--dry-run'],
  // validate compiles its reader, schema checks, analysers and JSON printer on a small platform.
  ['validate', fileURLToPath(new URL('../test/fixtures/validate/good/platform.yaml', import.meta.url)), '-o', 'json',
    '--fail-on', 'none'],
  // install reads a sparc-mesh.yaml: the config file's parser is a bundle of its own.
  ['install', 'istio', '--dry-run', '--config', fileURLToPath(new URL('../examples/sparc-mesh.yaml', import.meta.url))],
];

// The package root, where oclif finds package.json (bin/ has its own, which only makes it CommonJS).
const root = fileURLToPath(new URL('..', import.meta.url));
const {cli, scripts} = loadCli({useCache: false});
const DIST = dirname(BUNDLE);
const require = createRequire(import.meta.url);
// An empty working directory: no sparc-mesh.yaml of the developer's is read.
const cwd = mkdtempSync(join(tmpdir(), 'sparc-mesh-code-cache-'));
process.chdir(cwd);
const write = {stdout: process.stdout.write, stderr: process.stderr.write};
process.stdout.write = process.stderr.write = () => true;
try {
  for (const argv of TRAINING) await cli.run(argv, root);
} finally {
  Object.assign(process.stdout, {write: write.stdout});
  Object.assign(process.stderr, {write: write.stderr});
  rmSync(cwd, {recursive: true, force: true});
}
Object.values(cli.COMMANDS); // loads the command bundles the training did not run
// and the bundles commands load only when a run needs them (scripts/bundle.mjs, SEPARATE_BUNDLES)
for (const file of readdirSync(DIST)) if (file.endsWith('.js')) require(join(DIST, file));
for (const [bundle, script] of scripts) writeFileSync(codeCacheFile(bundle), script.createCachedData());
// A validator's cache sits beside its module, where the store reads it (the same V8 wrote both).
for (const [module, script] of validatorScripts) writeFileSync(codeCacheFile(module), script.createCachedData());
console.log(`code caches: ${scripts.size} bundles, ${validatorScripts.size} schema validators trained`);
