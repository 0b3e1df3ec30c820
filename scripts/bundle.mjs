// Bundles the CLI for start-up speed. Loading @oclif/core as ~100 separate CommonJS files
// costs several times what parsing one file does, and compiling a file costs more than
// deserialising V8's code cache of it. So dist/index.js is one CommonJS file holding oclif
// and the command table (src/index.ts), each command is one more beside it
// (dist/commands/...), loaded only when that command runs and using dist/index.js's oclif,
// and scripts/code-cache.mjs stores each bundle's code cache beside it after a training run
// (bin/load-cli.js reads them back). CommonJS, because only node:vm Scripts accept a code
// cache on every Node release we support.
// Heavy, rarely needed packages stay external and are import()ed where they are used (the
// Kubernetes client, execa, prompts, listr2, the X.509 library); they are not compiled on a dry run.
import {spawnSync} from 'node:child_process';
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import {createRequire, isBuiltin} from 'node:module';
import {dirname, join, relative} from 'node:path';
import {build} from 'esbuild';
import {WRAPPER, loadCli, manifestSliceFile} from '../bin/load-cli.js';

const started = Date.now();
rmSync('dist', {recursive: true, force: true});
mkdirSync('dist');
// dist/ holds CommonJS while the package (bin/, src/, tests) is ES modules.
writeFileSync('dist/package.json', `${JSON.stringify({type: 'commonjs'})}\n`);

const OPTIONS = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  // NO_MINIFY=1 keeps names and each module's path comment, for reading a CPU profile of the CLI.
  minify: process.env.NO_MINIFY !== '1',
  external: ['@kubernetes/client-node', 'execa', 'listr2', '@inquirer/prompts', '@peculiar/x509', 'reflect-metadata',
    'typescript', 'ts-node', 'tsx', '@oclif/plugin-*'],
  // node:vm Scripts cannot import() on Node 20 without --experimental-vm-modules, so
  // import() becomes require(), which loads ES modules too since Node 20.19 (see
  // bin/load-cli.js for the file: URLs oclif passes).
  supported: {'dynamic-import': false},
  // Our sources are ES modules that find their package through import.meta.url.
  define: {'import.meta.url': '__importMetaUrl'},
  banner: {js: "var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
  logLevel: 'warning',
  write: false,
};

/**
 * A bundle's text in ASCII. esbuild escapes non-ASCII characters in strings and names but not
 * in regular expression literals (oclif's ANSI pattern holds U+009B), and one such character
 * makes V8 hold the whole source as a two-byte string: reading and scanning dist/index.js then
 * cost twice as much. A `\\uXXXX` escape means the same code unit in a string, a name and a
 * pattern, with or without the u flag; only a character that is itself escaped (`\\é`) would
 * change meaning, and the build refuses it.
 */
function asciiOnly(text, file) {
  return text.replace(/(\\*)([^\0-\x7f])/g, (_, backslashes, char) => {
    if (backslashes.length % 2 === 1) {
      throw new Error(`${file}: an escaped non-ASCII character (${char}) cannot be rewritten`);
    }
    return `${backslashes}\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/** Builds a bundle and writes it in ASCII (see asciiOnly), inside the wrapper bin/load-cli.js compiles it in. */
async function bundle(options) {
  const {outputFiles} = await build({...OPTIONS, ...options});
  for (const {path, text} of outputFiles) {
    mkdirSync(dirname(path), {recursive: true});
    writeFileSync(path, `${WRAPPER[0]}${asciiOnly(text, path)}${WRAPPER[1]}`);
  }
}

/** `bundle` as the bundle written to `outfile` requires it: a relative path, left out of that bundle. */
function otherBundle(outfile, bundle) {
  const path = relative(dirname(outfile), bundle);
  return {path: path.startsWith('.') ? path : `./${path}`, external: true};
}

/** A command bundle takes oclif from dist/index.js: one oclif per process, whose Command class every command extends. */
const oclifOfTheCli = (outfile) => ({
  name: 'oclif-of-the-cli',
  setup(plugin) {
    plugin.onResolve({filter: /^@oclif\/core$/}, () => otherBundle(outfile, 'dist/index.js'));
  },
});

/**
 * Edits of oclif's sources for start-up, each with its reason; the build fails if a line
 * changes, so that an edit is revisited rather than silently lost.
 */
const OCLIF_EDITS = [
  // oclif sorts a plugin's commands with localeCompare, whose first call builds ICU's collator:
  // about a tenth of a short command's start-up, for ids that are ASCII (where code-unit order
  // gives the same result).
  {file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/, from: '.sort((a, b) => a.id.localeCompare(b.id));',
    to: '.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));'},
  // On every start oclif loads semver and the package's package.json to compare Node's version with
  // `engines`, warning on a mismatch; npm already warns at install, and sparc-mesh states its
  // engines there. Loading semver costs more than the rest of the check.
  {file: /@oclif[\\/]core[\\/]lib[\\/]index\.js$/, from: '\ncheckNodeVersion();', to: '\n'},
  // oclif asks wsl-utils whether it runs under WSL, only to print "wsl" instead of "linux" in
  // its user agent (the VERSION line of --help); wsl-utils first loads its PowerShell helpers
  // (child_process, with net and dgram, and fs/promises), and is-wsl reads /proc and looks for
  // container files: a tenth of a short command's start-up. The platform is Node's, as
  // `sparc-mesh --version` (bin/run.js) already prints it.
  {file: /@oclif[\\/]core[\\/]lib[\\/]util[\\/]os\.js$/,
    from: "return (await import('wsl-utils')).isWsl ? 'wsl' : (0, node_os_1.platform)();",
    to: 'return (0, node_os_1.platform)();'},
  // oclif reads package.json and its manifest through fs/promises, whose loading (FileHandle,
  // streams, readline) costs more than reading both files synchronously; fs/promises then loads
  // only when a flag's file or directory is checked (see requireOnUse).
  {file: /@oclif[\\/]core[\\/]lib[\\/]util[\\/]fs\.js$/, from: "await (0, promises_1.readFile)(path, 'utf8')",
    to: "(0, node_fs_1.readFileSync)(path, 'utf8')"},
  // A run of one of our commands reads that command's slice of the manifest (`oclif.manifestFile`
  // in the package.json bin/run.js hands oclif; see writeManifestSlices), not the help text of all.
  {file: /@oclif[\\/]core[\\/]lib[\\/]config[\\/]plugin\.js$/,
    from: "const p = (0, node_path_1.join)(this.root, `${dotfile ? '.' : ''}oclif.manifest.json`);",
    to:
      "const p = (!dotfile && this.pjson.oclif.manifestFile) || (0, node_path_1.join)(this.root, `${dotfile ? '.' : ''}oclif.manifest.json`);"},
  // The next edits keep oclif from creating process.stdout and process.stderr as it loads, which
  // loads Node's streams (and net and tty for a pipe or a terminal); the CLI then writes its
  // lines straight to the descriptors (src/ui/stdio.ts). Terminal widths are read when used:
  {file: /@oclif[\\/]core[\\/]lib[\\/]screen\.js$/,
    from:
      'exports.stdtermwidth = columns || termwidth(process.stdout);\nexports.errtermwidth = columns || termwidth(process.stderr);',
    to: "Object.defineProperty(exports, 'stdtermwidth', {get: () => columns || termwidth(process.stdout)});\n"
      + "Object.defineProperty(exports, 'errtermwidth', {get: () => columns || termwidth(process.stderr)});"},
  // the spinner or plain progress of ux.action is chosen and made on first use;
  {file: /@oclif[\\/]core[\\/]lib[\\/]ux[\\/]index\.js$/,
    from: `const ACTION_TYPE = (Boolean(process.stderr.isTTY) &&
    !process.env.CI &&
    !['dumb', 'emacs-color'].includes(process.env.TERM) &&
    'spinner') ||
    'simple';
exports.action = ACTION_TYPE === 'spinner' ? new spinner_1.default() : new simple_1.default();
exports.ux = {
    action: exports.action,`,
    to: `let action;
const getAction = () => (action ??= Boolean(process.stderr.isTTY) && !process.env.CI &&
    !['dumb', 'emacs-color'].includes(process.env.TERM) ? new spinner_1.default() : new simple_1.default());
Object.defineProperty(exports, 'action', {enumerable: true, get: getAction});
exports.ux = {
    get action() { return getAction(); },`},
  // the handler that ignores EPIPE on stdout (output piped to \`head\`) is attached when stdout is
  // created (enableDirectStdio);
  {file: /@oclif[\\/]core[\\/]lib[\\/]command\.js$/,
    from: `process.stdout.on('error', (err) => {
    if (err && err.code === 'EPIPE')
        return;
    throw err;
});`, to: ''},
  // and ansis, oclif's colours, asks whether stdout is a terminal only when no environment
  // variable (CI, COLORTERM, TERM_PROGRAM...) has already decided the colour level.
  {file: /[\\/]ansis[\\/]index\.js$/, from: 'let c=!!o.PM2_HOME', to: 'let c=()=>!!o.PM2_HOME'},
  {file: /[\\/]ansis[\\/]index\.js$/, from: ':!t||/-mono|dumb/i', to: ':!t()||/-mono|dumb/i'},
];
const editOclif = {
  name: 'edit-oclif',
  setup(plugin) {
    // esbuild loads a file through the first plugin that matches it: one loader per file, for all its edits.
    const byFile = new Map();
    for (const edit of OCLIF_EDITS) byFile.set(edit.file.source, [...(byFile.get(edit.file.source) ?? []), edit]);
    for (const edits of byFile.values()) {
      plugin.onLoad({filter: edits[0].file}, async ({path}) => {
        let source = await readFile(path, 'utf8');
        for (const {from, to} of edits) {
          if (source.split(from).length !== 2) {
            throw new Error(`${path} no longer holds ${from.trim()} once: revisit scripts/bundle.mjs`);
          }
          source = source.replace(from, to);
        }
        return {contents: source, loader: 'js'};
      });
    }
  },
};

/**
 * oclif logs through `debug`, which prints only for the namespaces DEBUG names. Without DEBUG
 * the bundle gives oclif a logger that does nothing, and `debug` (with supports-color) loads
 * only when DEBUG is set.
 */
const debugWhenAsked = {
  name: 'debug-when-asked',
  setup(plugin) {
    plugin.onResolve({filter: /^debug$/}, ({namespace, resolveDir}) =>
      namespace === 'debug-when-asked'
        ? undefined
        : {path: 'debug', namespace: 'debug-when-asked', pluginData: {resolveDir}});
    plugin.onLoad({filter: /.*/, namespace: 'debug-when-asked'}, ({pluginData}) => ({
      contents: "module.exports = process.env.DEBUG ? require('debug') : () => () => {};",
      resolveDir: pluginData.resolveDir,
      loader: 'js',
    }));
  },
};

/**
 * oclif requires these modules at the top of files every command loads, but uses them only now
 * and then: the Node modules when tracing its own performance or reading a flag from stdin,
 * lilconfig when package.json holds no oclif section (ours does), tinyglobby when a plugin has
 * no manifest (ours has one), ejs and cli-spinners for help templates and spinners,
 * supports-color (which asks both terminals) when it styles an error. In the bundle each is an
 * object that requires the module on first use; a module whose exports are a function cannot be
 * one, and the build fails if one is named here.
 */
const REQUIRED_ON_USE =
  /^(node:)?(perf_hooks|readline|child_process|fs\/promises)$|^(lilconfig|tinyglobby|ejs|cli-spinners|supports-color)$/;
const requireOnUse = {
  name: 'require-on-use',
  setup(plugin) {
    plugin.onResolve({filter: REQUIRED_ON_USE}, ({path, namespace, resolveDir}) => {
      if (namespace !== 'require-on-use') return {path, namespace: 'require-on-use', pluginData: {resolveDir}};
      return isBuiltin(path) ? {path, external: true} : undefined;
    });
    // A getter for each export (the names the module has when the build loads it), so that
    // copying the exports, as esbuild's interop does, does not load the module.
    plugin.onLoad({filter: /.*/, namespace: 'require-on-use'}, ({path, pluginData}) => {
      const exports = createRequire(join(pluginData.resolveDir, 'bundle.js'))(path);
      if (typeof exports === 'function') throw new Error(`${path} exports a function: it cannot be required on use`);
      return {
        contents: `let loaded;
const load = () => (loaded ??= require(${JSON.stringify(path)}));
for (const key of ${JSON.stringify(Object.keys(exports).filter((key) => key !== 'default'))}) {
  Object.defineProperty(module.exports, key, {enumerable: true, get: () => load()[key]});
}`,
        resolveDir: pluginData.resolveDir,
        loader: 'js',
      };
    });
  },
};

/**
 * Modules that commands import() only when a run needs them, each a bundle of its own: a
 * command that does not need one neither reads nor compiles it. The CEL evaluator
 * (@bufbuild/cel and its protobuf runtime, half a command bundle) loads when a rule needs it
 * (most rules run as generated JavaScript); the config file's parser (the yaml package, which
 * keeps lines for messages) when there is a sparc-mesh.yaml to read. Neither keeps state that
 * the command's own modules share.
 */
const SEPARATE_BUNDLES = [
  {source: 'src/core/schema/cel/compile.ts', bundle: 'dist/cel-evaluator.js'},
  {source: 'src/core/config/config-file.ts', bundle: 'dist/config-file.js'},
];
const separateBundles = (outfile) => ({
  name: 'separate-bundles',
  setup(plugin) {
    plugin.onResolve({filter: /^\.\.?\/.*\.js$/}, ({path, resolveDir}) => {
      const target = relative('.', join(resolveDir, path.replace(/\.js$/, '.ts')));
      const separate = SEPARATE_BUNDLES.find(({source}) => join(source) === target);
      return separate ? otherBundle(outfile, separate.bundle) : undefined;
    });
  },
});

await bundle({entryPoints: ['src/index.ts'], outfile: 'dist/index.js',
  plugins: [editOclif, debugWhenAsked, requireOnUse]});
// The command table names the modules to bundle (no code cache exists yet).
const {COMMAND_MODULES} = loadCli({useCache: false}).cli;
await Promise.all([
  ...Object.values(COMMAND_MODULES).map((module) => {
    const outfile = join('dist', module);
    return bundle({entryPoints: [join('src', module.replace(/\.js$/, '.ts'))], outfile,
      plugins: [oclifOfTheCli(outfile), separateBundles(outfile)]});
  }),
  ...SEPARATE_BUNDLES.map(({source, bundle: outfile}) => bundle({entryPoints: [source], outfile})),
]);
/**
 * One manifest per command, dist/manifests/<id as a path>.json, holding the entries of
 * oclif.manifest.json for that command and the commands under it (its help lists them):
 * parsing the whole manifest (every command's flags and help text) is a sizeable share of a
 * short command's start-up. bin/run.js names the slice of the command it runs.
 */
function writeManifestSlices() {
  const manifest = JSON.parse(readFileSync('oclif.manifest.json', 'utf8'));
  const entries = Object.entries(manifest.commands);
  for (const [id] of entries) {
    const commands = Object.fromEntries(entries.filter(([other]) => other === id || other.startsWith(`${id}:`)));
    const file = manifestSliceFile(id);
    mkdirSync(dirname(file), {recursive: true});
    writeFileSync(file, JSON.stringify({version: manifest.version, commands}));
  }
}
writeManifestSlices();

/** Runs a build step in its own process (the training must load the bundles fresh). */
function step(...args) {
  const {status} = spawnSync(process.execPath, args, {stdio: 'inherit'});
  if (status !== 0) throw new Error(`${args.join(' ')} exited with ${status}`);
}
// Before the training, so that it compiles the path a run takes: with the templates parsed ahead.
step('--import', 'tsx', 'scripts/parse-templates.ts');
step('scripts/code-cache.mjs');
console.log(`bundled the CLI in ${Date.now() - started} ms`);
