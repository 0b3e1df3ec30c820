// The formatter, run through dprint's WebAssembly plugin in-process: the dprint CLI ships
// one native package per platform, and a registry that lacks some of them breaks `npm ci`.
// `node scripts/format.mjs` rewrites; `--check` lists the files that differ and exits 1.
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {createFromBuffer} from '@dprint/formatter';

const check = process.argv.includes('--check');
const config = JSON.parse(readFileSync('dprint.json', 'utf8'));
const require = createRequire(import.meta.url);
const formatter = createFromBuffer(readFileSync(require.resolve('@dprint/typescript/plugin.wasm')));
const {typescript, includes: _includes, excludes: _excludes, plugins: _plugins, ...global} = config;
formatter.setConfig(global, typescript);

// Tracked and new files git does not ignore, so dist/, schemas/ and node_modules/ are never read.
const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.ts', '*.js', '*.mjs'], {
  encoding: 'utf8',
})
  .split('\n').filter(Boolean);
const differing = [];
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue; // deleted in the work tree
  }
  const formatted = formatter.formatText({filePath: file, fileText: text});
  if (formatted === text) continue;
  differing.push(file);
  if (!check) writeFileSync(file, formatted);
}
if (check && differing.length > 0) {
  console.error(
    `${differing.length} file(s) not formatted (run \`npm run format\`):\n${
      differing.map((file) => `  ${file}`).join('\n')
    }`,
  );
  process.exit(1);
}
if (!check) console.log(`formatted ${differing.length} of ${files.length} files`);
