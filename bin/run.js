#!/usr/bin/env node
// The CLI's entry. CommonJS, as the bundles it loads are: Node starts a CommonJS entry with
// synchronous reads and without its ES module loader, which a short command would otherwise
// pay for (bin/package.json makes bin/ CommonJS inside this ES module package).
// `--version` is answered before anything else loads: scripts call it often, and loading
// the framework costs several times what printing a version needs. The format is oclif's.
const {readFileSync, writeSync} = require('node:fs');
const {join} = require('node:path');

const ROOT = join(__dirname, '..');
const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const argv = process.argv.slice(2);

if (argv.length === 1 && argv[0] === '--version') {
  const version = `${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`;
  // Straight to the descriptor, as src/ui/stdio.ts writes: creating process.stdout costs more than the rest.
  try {
    writeSync(1, version);
  } catch (error) {
    if (error.code !== 'EPIPE') process.stdout.write(version);
  }
} else {
  const {loadCli, manifestSliceFile} = require('./load-cli.js');
  const {cli} = loadCli();
  // The help and autocomplete plugins bring only their own commands (`help`, `autocomplete`),
  // and finding and reading them is a sizeable share of a short command's start-up; so one of
  // sparc-mesh's own commands (or topics) runs without them. oclif's own help answers --help.
  const ids = Object.keys(cli.COMMAND_MODULES);
  const topics = new Set(ids.map((id) => id.split(':')[0]));
  const ownCommand = argv.length > 0 && topics.has(argv[0]);
  // The command's id is the longest run of leading words that names one (`install istio`,
  // `certs rotate linkerd`); oclif then reads only its slice of the manifest (scripts/bundle.mjs).
  const id = [3, 2, 1].map((words) => argv.slice(0, words).join(':')).find((words) => ids.includes(words));
  const oclif = {...pjson.oclif, plugins: [], ...(id ? {manifestFile: manifestSliceFile(id)} : {})};
  // oclif's execute() without its closing flush of stdout, which would create the stream only to
  // write nothing: lines go straight to the descriptors until something needs a stream, and the
  // process ends as soon as they are written (src/ui/stdio.ts).
  cli.enableDirectStdio();
  cli.run(argv, {
    root: ROOT,
    pjson: ownCommand ? {...pjson, oclif} : pjson,
    // User plugins are installed with @oclif/plugin-plugins, which sparc-mesh does not ship.
    userPlugins: false,
  }).then(cli.exitUnlessWriting, cli.Errors.handle);
}
