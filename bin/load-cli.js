// Loads the bundled CLI (dist/index.js, CommonJS) the way Node's require would, but
// compiled with the V8 code cache that the build stored beside it (scripts/bundle.mjs).
// Compiling the bundle's half a megabyte of JavaScript is a large share of a short
// command's time; with the cache V8 deserialises code it already compiled, including the
// functions a typical command runs. V8 checks the cache against the source and its own
// version and flags, and compiles normally when it does not fit (another Node release, a
// stale build), so the cache can make start-up faster but never changes what runs.
import {readFileSync} from 'node:fs';
import Module, {createRequire} from 'node:module';
import {dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {Script} from 'node:vm';

export const BUNDLE = fileURLToPath(new URL('../dist/index.js', import.meta.url));
export const CODE_CACHE = `${BUNDLE}.v8cache`;

function readCodeCache() {
  try {
    return readFileSync(CODE_CACHE);
  } catch {
    return undefined;
  }
}

/**
 * The bundle's require. Its import() calls were compiled to require() (a vm Script cannot
 * import() on Node 20), and oclif import()s ES modules by file: URL, which require needs
 * as a path.
 */
function bundleRequire() {
  const nodeRequire = createRequire(BUNDLE);
  const require = (id) => nodeRequire(id.startsWith('file:') ? fileURLToPath(id) : id);
  return Object.assign(require, {resolve: nodeRequire.resolve, cache: nodeRequire.cache, main: nodeRequire.main});
}

/** Returns the bundle's exports and the compiled script (the build takes its code cache). */
export function loadCli({codeCache = readCodeCache()} = {}) {
  const script = new Script(Module.wrap(readFileSync(BUNDLE, 'utf8')), {
    filename: BUNDLE,
    cachedData: codeCache,
  });
  const module = new Module(BUNDLE);
  module.filename = BUNDLE;
  module.paths = Module._nodeModulePaths(dirname(BUNDLE));
  // Registered before it runs, as require does: oclif later require()s dist/index.js for
  // its command table and must get this instance, not a second copy compiled from scratch.
  Module._cache[BUNDLE] = module;
  script.runInThisContext()(module.exports, bundleRequire(), module, BUNDLE, dirname(BUNDLE));
  module.loaded = true;
  // The bundle is the CLI: oclif must not look for TypeScript sources in src/ instead, as
  // it otherwise does whenever NODE_ENV is "test" or "development" (bin/dev.js is for that).
  module.exports.settings.enableAutoTranspile = false;
  return {cli: module.exports, script};
}
