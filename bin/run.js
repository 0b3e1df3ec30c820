#!/usr/bin/env node
// `--version` is answered before anything else loads: scripts call it often, and loading
// the framework costs several times what printing a version needs. The format is oclif's.
import {readFileSync} from 'node:fs';

if (process.argv.length === 3 && process.argv[2] === '--version') {
  const {name, version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`${name}/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
} else {
  const {loadCli} = await import('./load-cli.js');
  await loadCli().cli.execute({dir: import.meta.url});
}
