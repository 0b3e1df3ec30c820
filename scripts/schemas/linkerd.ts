// Linkerd's CRDs are read from a committed extract, schemas-src/linkerd/, not from the Go module
// cache: the module proxy serves no release of github.com/linkerd/linkerd2, and a fresh clone
// must build its schemas without the source archive in ../shared. The extract holds the CRDs
// as the pinned linkerd renders them (`linkerd install --crds --ignore-cluster`), one file per
// CRD; scripts/schemas/extract-linkerd.ts writes it, with Linkerd's LICENSE and a PROVENANCE
// line naming the tag and the archive.
import {readFileSync, readdirSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const LINKERD_EXTRACT_DIR = fileURLToPath(new URL('../../schemas-src/linkerd/', import.meta.url));
/** The folder of CRD files inside the extract. */
export const LINKERD_CRD_DIR = 'crds';

/** The extract's CRD files, relative to it (sorted). */
export function linkerdCrdFiles(): string[] {
  return readdirSync(join(LINKERD_EXTRACT_DIR, LINKERD_CRD_DIR)).filter((file) => file.endsWith('.yaml')).sort().map((
    file,
  ) => `${LINKERD_CRD_DIR}/${file}`);
}

/** Refuses an extract of another release than versions.json pins (PROVENANCE names its `tag`). */
export function assertLinkerdExtractIs(version: string): void {
  const file = join(LINKERD_EXTRACT_DIR, 'PROVENANCE');
  const tag = /\btag (\S+)/.exec(readFileSync(file, 'utf8'))?.[1];
  if (tag !== version) {
    throw new Error(
      `${file}: the extract is of ${
        tag ?? 'no tag'
      }, versions.json pins linkerd ${version}; run node --import tsx scripts/schemas/extract-linkerd.ts`,
    );
  }
}
