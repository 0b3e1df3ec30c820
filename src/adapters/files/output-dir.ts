// The GitOps path: one file per object under --output-dir, written only after every object
// rendered and passed its schema. The files are written into a staging folder and renamed
// into place, so a failure while writing (a full disk) leaves the target as it was. Each file starts with OUTPUT_MARKER: a later run recognises its own files by it,
// replaces them and removes those it no longer writes (a Canary after --enable-canary was
// dropped), and never touches a file without it unless --force.
import {basename, dirname, join} from 'node:path';
import {PreconditionError, UsageError} from '../../errors.js';
import {realFs, type OutputFs} from './output-fs.js';
import {checkOutputTarget, refuseOutputDir} from './output-target.js';

export interface OutputFile {
  name: string;
  content: string;
  /** Holds a private key: created with mode 0600, so that only its owner can read it. */
  ownerOnly?: boolean;
}

export interface OutputDirResult {
  /** Absolute paths, in the order of the files given. */
  written: string[];
  /** Files an earlier run wrote that this run does not, removed. */
  removed: string[];
}

export const OUTPUT_MARKER =
  '# Written by sparc-mesh --output-dir, which replaces or removes this file on its next run into this folder; delete this line to keep the file.';

/** Errors that a different target would avoid: the user's to fix, exit 2. Anything else (a full disk) is exit 1. */
const TARGET_ERRORS = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOTDIR', 'EISDIR', 'EEXIST', 'ENAMETOOLONG', 'ELOOP']);

/** Runs one file-system call on `path`, turning its failure into an error that names the path. */
function onPath<T>(path: string, call: () => T, consequence: string, verb = 'write'): T {
  try {
    return call();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const message = `cannot ${verb} ${path}: ${(error as Error).message}; ${consequence}`;
    if (TARGET_ERRORS.has(code)) {
      throw new UsageError(`--output-dir: ${message}`, 'choose a folder you can write to', 'InvalidOutputDir');
    }
    throw new PreconditionError(message, 'fix the cause (free some space?) and run the command again', 'WriteFailed');
  }
}

type Entry = 'ours' | 'theirs' | 'folder';

function startsWithMarker(fs: OutputFs, path: string): boolean {
  const head = Buffer.alloc(OUTPUT_MARKER.length);
  const fd = fs.openSync(path, 'r');
  try {
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return head.subarray(0, read).toString('utf8') === OUTPUT_MARKER;
  } finally {
    fs.closeSync(fd);
  }
}

/** What the target holds: its own files by the marker; links and anything else are another's. */
function entries(fs: OutputFs, dir: string): Map<string, Entry> {
  const found = new Map<string, Entry>();
  for (const entry of onPath(dir, () => fs.readdirSync(dir, {withFileTypes: true}), 'nothing was changed', 'read')) {
    const path = join(dir, entry.name);
    const ours = entry.isFile() && entry.name.endsWith('.yaml')
      && onPath(path, () => startsWithMarker(fs, path), 'nothing was changed', 'read');
    found.set(entry.name, entry.isDirectory() ? 'folder' : ours ? 'ours' : 'theirs');
  }
  return found;
}

function namesIn(dir: string, names: readonly string[]): string {
  const shown = names.slice(0, 5).map((name) => join(dir, name)).join(', ');
  return names.length > 5 ? `${shown} and ${names.length - 5} more` : shown;
}

/** Takes away a folder this run made, unless something else appeared in it meanwhile; the first error is the one to report. */
function removeIfEmpty(fs: OutputFs, folder: string): void {
  try {
    fs.rmdirSync(folder);
  } catch {
    // Not empty any more, or gone: it is no longer only this run's.
  }
}

function writeStaging(fs: OutputFs, staging: string, target: string, files: readonly OutputFile[]): void {
  onPath(staging, () => fs.mkdirSync(staging), 'nothing was changed');
  try {
    for (const file of files) {
      // 'wx': each file is new in the staging folder, so a mode of 0600 applies to it.
      onPath(join(target, file.name),
        () =>
          fs.writeFileSync(join(staging, file.name), `${OUTPUT_MARKER}\n${file.content}`, {
            mode: file.ownerOnly ? 0o600 : 0o666,
            flag: 'wx',
          }), `nothing in ${target} was changed`);
    }
  } catch (error) {
    fs.rmSync(staging, {recursive: true, force: true});
    throw error;
  }
}

/**
 * Writes `files` into `dir`, replacing sparc-mesh's own files of an earlier run and removing
 * those it no longer writes. A file of the same name that sparc-mesh did not write is refused
 * (exit 2, named), or overwritten with `force`.
 */
export function writeOutputDir(dir: string, files: readonly OutputFile[], options: {force?: boolean} = {},
  fs: OutputFs = realFs): OutputDirResult
{
  const target = checkOutputTarget(fs, dir);
  const exists = target.missing.at(-1) !== target.dir;
  const found = exists ? entries(fs, target.dir) : new Map<string, Entry>();
  const names = new Set(files.map((file) => file.name));
  const folders = [...names].filter((name) => found.get(name) === 'folder');
  if (folders.length) throw refuseOutputDir(dir, `holds folders where files go: ${namesIn(target.dir, folders)}`);
  const foreign = [...names].filter((name) => found.get(name) === 'theirs');
  if (foreign.length && !options.force) {
    throw new UsageError(
      `--output-dir: ${namesIn(target.dir, foreign)} ${
        foreign.length === 1 ? 'was' : 'were'
      } not written by sparc-mesh; nothing was changed`,
      'move them away, choose another folder, or add --force to overwrite them',
      'OutputExists',
    );
  }

  const made: string[] = [];
  // Renames stay within one file system: a new target is the staging folder renamed, made
  // beside it; into an existing one (perhaps a mount point) files move from a folder inside it.
  // Web Crypto's global, not node:crypto: that module would load on every run that renders, for this one call.
  const unique = Buffer.from(crypto.getRandomValues(new Uint8Array(6))).toString('hex');
  const staging = exists
    ? join(target.dir, `.sparc-mesh-staging-${unique}`)
    : join(dirname(target.dir), `.${basename(target.dir)}.sparc-mesh-${unique}`);
  try {
    for (const folder of exists ? target.missing : target.missing.slice(0, -1)) {
      onPath(folder, () => fs.mkdirSync(folder), 'nothing was changed');
      made.push(folder);
    }
    writeStaging(fs, staging, target.dir, files);
  } catch (error) {
    for (const folder of made.reverse()) removeIfEmpty(fs, folder);
    throw error;
  }

  const consequence = 'some files of this run are in place, the others are not';
  try {
    if (!exists) onPath(target.dir, () => fs.renameSync(staging, target.dir), 'nothing was changed');
    else {
      for (const file of files) {
        onPath(join(target.dir, file.name), () => fs.renameSync(join(staging, file.name), join(target.dir, file.name)),
          consequence);
      }
    }
  } finally {
    // Gone after the folder's rename, empty after the files' renames, or what a failed rename left.
    fs.rmSync(staging, {recursive: true, force: true});
  }
  const stale = [...found].filter(([name, entry]) => entry === 'ours' && !names.has(name)).map(([name]) =>
    join(target.dir, name)
  );
  for (const path of stale) {
    onPath(path, () => fs.rmSync(path), "this run's files are in place; remove it by hand", 'remove');
  }
  return {written: files.map((file) => join(target.dir, file.name)), removed: stale};
}
