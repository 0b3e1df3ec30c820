// Writes schemas-src/linkerd/ (committed; read by scripts/schemas/linkerd.ts) from the linkerd2
// source archive that versions.json pins (../shared beside the clone):
//   - the CRDs as the pinned linkerd renders them with its default values
//     (`linkerd install --crds --ignore-cluster`, linkerd built by test/cluster/build.ts), one
//     file per CRD named after it (the rendered stream does not say which template each came from);
//   - Linkerd's LICENSE, from the archive;
//   - PROVENANCE: the tag, commit, archive sha256 and how the files were made.
// Run it after changing the linkerd pin:
//
//   node --import tsx scripts/schemas/extract-linkerd.ts
import {execFileSync} from 'node:child_process';
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import yaml from 'js-yaml';
import {buildMissing} from '../../test/cluster/build.js';
import {testbinPath} from '../../test/cluster/testbin.js';
import {archivePath, goPin} from '../../test/cluster/versions.js';
import {LINKERD_CRD_DIR, LINKERD_EXTRACT_DIR} from './linkerd.js';

/** The rendered stream's documents by file name: `<CRD name>.yaml`. */
function splitByCrd(rendered: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const document of rendered.split(/^---$/m).filter((text) => text.trim() !== '')) {
    const parsed = yaml.load(document) as {kind?: string; metadata?: {name?: string}} | null;
    const name = parsed?.metadata?.name;
    if (parsed?.kind !== 'CustomResourceDefinition' || !name) {
      throw new Error(`linkerd install --crds printed a document that is not a named CRD:\n${document.slice(0, 300)}`);
    }
    files.set(`${name}.yaml`, `---${document.trimEnd()}\n`);
  }
  return files;
}

async function main(): Promise<void> {
  const pin = goPin('linkerd');
  if (!pin.archive) throw new Error('versions.json: go.linkerd has no source archive');
  await buildMissing(undefined, ['linkerd']);
  // No cluster is consulted: the output depends on the binary (its embedded chart) alone.
  const rendered = execFileSync(testbinPath('linkerd'), ['install', '--crds', '--ignore-cluster'], {
    encoding: 'utf8',
    env: {...process.env, KUBECONFIG: '/nonexistent'},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const license = execFileSync('tar', ['-xzOf', archivePath(pin.archive), 'LICENSE'], {encoding: 'utf8'});

  rmSync(LINKERD_EXTRACT_DIR, {recursive: true, force: true});
  const files = splitByCrd(rendered);
  mkdirSync(join(LINKERD_EXTRACT_DIR, LINKERD_CRD_DIR), {recursive: true});
  for (const [name, text] of files) writeFileSync(join(LINKERD_EXTRACT_DIR, LINKERD_CRD_DIR, name), text);
  writeFileSync(join(LINKERD_EXTRACT_DIR, 'LICENSE'), license);
  writeFileSync(join(LINKERD_EXTRACT_DIR, 'PROVENANCE'),
    `${pin.module} tag ${pin.version} commit ${pin.archive.commit}: ${LINKERD_CRD_DIR}/** is the output of \`linkerd install --crds --ignore-cluster\` `
      + `(default values) of linkerd built from ${
        pin.archive.file.split('/').pop()
      } (sha256 ${pin.archive.sha256}), one file per CRD, `
      + "by scripts/schemas/extract-linkerd.ts; LICENSE is the archive's.\n");
  console.log(`${LINKERD_EXTRACT_DIR}: ${files.size} CRDs of linkerd ${pin.version}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
