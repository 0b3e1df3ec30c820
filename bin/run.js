#!/usr/bin/env node
// `--version` is answered before anything else loads: scripts call it often, and loading
// the framework costs several times what printing a version needs. The format is oclif's.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';

const ROOT = new URL('../', import.meta.url);
const pjson = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
const argv = process.argv.slice(2);

if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${pjson.name}/${pjson.version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const {loadCli} = await import('./load-cli.js');
  const {cli} = loadCli();
  // The help and autocomplete plugins bring only their own commands (`help`, `autocomplete`),
  // and finding and reading them is a sizeable share of a short command's start-up; so one of
  // sparc-mesh's own commands (or topics) runs without them. oclif's own help answers --help.
  const topics = new Set(Object.keys(cli.COMMAND_MODULES).map((id) => id.split(':')[0]));
  const ownCommand = argv.length > 0 && topics.has(argv[0]);
  const loadOptions = {
    root: fileURLToPath(ROOT),
    pjson: ownCommand ? {...pjson, oclif: {...pjson.oclif, plugins: []}} : pjson,
    // User plugins are installed with @oclif/plugin-plugins, which sparc-mesh does not ship.
    userPlugins: false,
  };
  await cli.execute({loadOptions});
}
