// Loads the bundled CLI (dist/index.js and the command bundles beside it, CommonJS) the way
// Node's require would, but compiles each bundle with the V8 code cache that the build stored
// beside it (scripts/bundle.mjs). Compiling JavaScript is a large share of a short command's
// time; with the cache V8 deserialises code it already compiled, including the functions a
// typical command runs. V8 checks the cache against the source and its own version and flags,
// and compiles normally when it does not fit (another Node release, a stale build), so the
// cache can make start-up faster but never changes what runs.
const {readFileSync} = require('node:fs');
const Module = require('node:module');
const {dirname, join, sep} = require('node:path');
const {fileURLToPath} = require('node:url');
const {Script} = require('node:vm');

const BUNDLE = join(__dirname, '../dist/index.js');
const DIST = dirname(BUNDLE) + sep;

/**
 * The build writes each bundle already inside Node's CommonJS function wrapper, so that V8
 * compiles the file's text as read: wrapping it here would make a second string that V8 copies
 * into a third before compiling (a bundle is hundreds of kilobytes, each new page a fault). So
 * a bundle is only ever loaded through this file.
 */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname) {', '\n})'];

/** Where the code cache of a bundle is stored. */
const codeCacheFile = (bundle) => `${bundle}.v8cache`;

/** Where a command's slice of oclif.manifest.json is stored (scripts/bundle.mjs writes it, bin/run.js names it). */
const manifestSliceFile = (id) => join(DIST, 'manifests', `${id.replaceAll(':', '/')}.json`);

function readCodeCache(bundle) {
  try {
    return readFileSync(codeCacheFile(bundle));
  } catch {
    return undefined;
  }
}

/**
 * A bundle's require. Its import() calls were compiled to require() (a vm Script cannot
 * import() on Node 20), and oclif import()s ES modules by file: URL, which require needs
 * as a path.
 */
function bundleRequire(module) {
  const require = (id) => module.require(id.startsWith('file:') ? fileURLToPath(id) : id);
  const nodeRequire = Module.createRequire(module.filename);
  return Object.assign(require, {resolve: nodeRequire.resolve, cache: nodeRequire.cache, main: nodeRequire.main});
}

/**
 * Compiles the bundles of dist/ with their code caches when Node's require loads them, so that
 * a command bundle required by the command table gets its cache as dist/index.js does; every
 * other file loads as before. Returns the compiled scripts by file, from which the build takes
 * the code caches.
 */
function compileBundlesWithCache(useCache) {
  const scripts = new Map();
  const compileJs = Module._extensions['.js'];
  Module._extensions['.js'] = function compileBundle(module, filename) {
    if (!filename.startsWith(DIST)) return compileJs.call(this, module, filename);
    const script = new Script(readFileSync(filename, 'utf8'), {
      filename,
      cachedData: useCache ? readCodeCache(filename) : undefined,
    });
    scripts.set(filename, script);
    script.runInThisContext()(module.exports, bundleRequire(module), module, filename, dirname(filename));
  };
  return scripts;
}

/** Returns the bundle's exports, its compiled script and every bundle compiled so far (the build takes their code caches). */
function loadCli({useCache = true} = {}) {
  const scripts = compileBundlesWithCache(useCache);
  const cli = require(BUNDLE);
  // The bundle is the CLI: oclif must not look for TypeScript sources in src/ instead, as
  // it otherwise does whenever NODE_ENV is "test" or "development" (bin/dev.js is for that).
  cli.settings.enableAutoTranspile = false;
  return {cli, script: scripts.get(BUNDLE), scripts};
}

module.exports = {BUNDLE, WRAPPER, codeCacheFile, loadCli, manifestSliceFile};
