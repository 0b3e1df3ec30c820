// Reads manifests from the paths a user names: files, folders (recursively, YAML and
// JSON only) and `-` for standard input (multi-document, as `helm template` or
// `kustomize build` print it). A path that cannot be read is the user's mistake and
// stops the command; a YAML syntax error is only a problem of that document, so it
// comes back with its line and everything else is still read.
// Synchronous reads on purpose: a thousand small files read this way cost milliseconds, while
// as many concurrent promise reads cost half a second of CPU; a CLI has nothing else to do meanwhile.
// Parsing stays on this thread: worker threads used to share large trees, but each paid its
// own start-up and compilation, and the main thread spent about as long deserialising their
// results as parsing them itself (on 2 cores, 3.5 MiB: 0.47-0.56 s with a worker, 0.30 s without).
import {readdirSync, statSync, type Dirent} from 'node:fs';
import path from 'node:path';
import {invalidFile, UsageError} from '../../errors.js';
import {fileCountProblem} from '../../core/input-limits.js';
import {parseManifests, type ManifestParseError} from '../../core/manifests.js';
import type {SourcedObject} from '../../core/objects.js';
import {decodeUtf8} from '../../core/utf8.js';
import {InputBudget, readBytesWithin, readStreamWithin} from './limited-read.js';

/** The name findings use for documents read from standard input. */
export const STDIN_NAME = '<stdin>';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export interface ManifestSet {
  objects: SourcedObject[];
  parseErrors: ManifestParseError[];
  /** Every file read, in reading order (standard input as STDIN_NAME). */
  files: string[];
  /** Documents that parsed but are not Kubernetes objects (empty documents are not counted). */
  skippedDocuments: number;
  /** Each file's text by its name, for pointing findings at a field's line afterwards. */
  texts?: ReadonlyMap<string, string>;
}

export interface ReadOptions {
  readStdin?: () => Promise<string | Uint8Array>;
}

interface ManifestBytes {
  bytes: Uint8Array;
  /** The name findings use: the path as given, or STDIN_NAME. */
  name: string;
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return (error as Error).message;
}

/** Manifest files below a folder, sorted so that output order never depends on the file system. */
function manifestFilesIn(folder: string): string[] {
  let entries: Dirent[];
  try {
    entries = readdirSync(folder, {withFileTypes: true});
  } catch (error) {
    throw invalidFile(folder, `cannot read folder: ${describe(error)}`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    // Dot-folders (.git, .github) hold no manifests to validate; a named file is still read.
    if (entry.isDirectory() && !entry.name.startsWith('.')) files.push(...manifestFilesIn(full));
    else if ((entry.isFile() || entry.isSymbolicLink())
      && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) files.push(full);
  }
  return files;
}

function readBytes(file: string, budget: InputBudget): Uint8Array {
  try {
    return readBytesWithin(file, budget);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw invalidFile(file, `cannot read: ${describe(error)}`);
  }
}

/** A named file is read whatever its extension: the user asked for it. */
function expandPath(given: string): string[] {
  let info;
  try {
    info = statSync(given);
  } catch (error) {
    throw invalidFile(given, `cannot read: ${describe(error)}`, undefined,
      'pass manifest files, folders, or - for standard input');
  }
  // Normalised, so that `./k8s` and `k8s/app.yaml` given together read app.yaml once.
  return info.isDirectory() ? manifestFilesIn(path.normalize(given)) : [path.normalize(given)];
}

export async function readManifests(paths: readonly string[], options: ReadOptions = {}): Promise<ManifestSet> {
  const texts = new Map<string, string>();
  const result: ManifestSet = {objects: [], parseErrors: [], files: [], skippedDocuments: 0, texts};
  const files = [...new Set(paths.flatMap((given) => (given === '-' ? [given] : expandPath(given))))];
  // Nothing to read is not a pass: a wrong folder or a glob that matched nothing would look green.
  if (files.length === 0) {
    throw invalidFile(paths.join(', '), 'holds no manifest files (.yaml, .yml, .json)', undefined,
      'pass the folder that holds the manifests, or - for standard input');
  }
  const tooMany = fileCountProblem(files.length);
  if (tooMany) {
    throw new UsageError(`the paths given ${tooMany}`, 'pass fewer folders, or the files that matter', 'InvalidFile');
  }
  const budget = new InputBudget();
  const documents: ManifestBytes[] = [];
  for (const file of files) {
    if (file !== '-') {
      documents.push({bytes: readBytes(file, budget), name: file});
      continue;
    }
    const stdin = options.readStdin ? await options.readStdin() : await readStreamWithin(process.stdin, STDIN_NAME);
    const bytes = typeof stdin === 'string' ? Buffer.from(stdin) : stdin;
    budget.add(STDIN_NAME, bytes.length);
    documents.push({bytes, name: STDIN_NAME});
  }
  for (const {bytes, name} of documents) {
    const {text, invalidLine} = decodeUtf8(bytes);
    result.files.push(name);
    // The API server refuses such a file whole; replacement characters would only hide where.
    if (invalidLine !== undefined) {
      result.parseErrors.push({file: name, line: invalidLine,
        message: 'not valid UTF-8 (YAML and JSON must be UTF-8); the file was not analysed', column: 1,
        kind: 'unreadable'});
      continue;
    }
    const parsed = parseManifests(text, name);
    texts.set(name, text);
    result.objects.push(...parsed.objects);
    result.parseErrors.push(...parsed.errors);
    result.skippedDocuments += parsed.skipped;
  }
  return result;
}
