// --output-dir against a real temporary folder; the file-system boundary is faked only to
// inject what a test machine cannot do on demand: a full disk half-way through a write, a
// folder that may not be written.
import * as fs from 'node:fs';
import {mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, mkdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {OUTPUT_MARKER, writeOutputDir, type OutputFile} from '../../../../src/adapters/files/output-dir.js';
import type {OutputFs} from '../../../../src/adapters/files/output-fs.js';
import {exitCodeOf} from '../../../../src/base/command.js';

const FILES: OutputFile[] = [
  {name: '001-namespace-sparc.yaml', content: 'kind: Namespace\n'},
  {name: '002-secret-sparc.key.yaml', content: 'kind: Secret\n', ownerOnly: true},
  {name: '003-deployment-sparc.web.yaml', content: 'kind: Deployment\n'},
  {name: '004-service-sparc.web.yaml', content: 'kind: Service\n'},
];

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'sparc-mesh-output-'));
}

/** Every entry of a folder tree: path → content (files) or '/' (folders). */
function tree(dir: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const entry of readdirSync(dir, {withFileTypes: true, recursive: true})) {
    const path = join(entry.parentPath, entry.name).slice(dir.length);
    found[path] = entry.isDirectory() ? '/' : readFileSync(join(entry.parentPath, entry.name), 'utf8');
  }
  return found;
}

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function errno(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected, ${syscall}`), {code, syscall});
}

/** node:fs whose writes fail with ENOSPC from the `failAt`-th on, after writing half of that file. */
function diskFullAt(failAt: number): OutputFs {
  let writes = 0;
  return {
    ...fs,
    writeFileSync: ((path: string, data: string, options: fs.WriteFileOptions) => {
      writes += 1;
      if (writes < failAt) return fs.writeFileSync(path, data, options);
      fs.writeFileSync(path, data.slice(0, data.length / 2), options);
      throw errno('ENOSPC', 'write');
    }) as typeof fs.writeFileSync,
  };
}

describe('writeOutputDir', () => {
  it('makes the missing folders and writes every file with the marker; a key file only its owner can read', () => {
    const root = scratch();
    const dir = join(root, 'a', 'b', 'out');
    const result = writeOutputDir(dir, FILES);
    expect(result).toEqual({written: FILES.map((file) => join(dir, file.name)), removed: []});
    expect(readdirSync(dir).sort()).toEqual(FILES.map((file) => file.name));
    for (const file of FILES) {
      expect(readFileSync(join(dir, file.name), 'utf8')).toBe(`${OUTPUT_MARKER}\n${file.content}`);
    }
    expect(statSync(join(dir, FILES[1]!.name)).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, FILES[0]!.name)).mode & 0o077).not.toBe(0);
    expect(statSync(dir).mode & 0o755).toBe(0o755);
    // The staging folder is gone: the target's parent holds the target alone.
    expect(readdirSync(join(root, 'a', 'b'))).toEqual(['out']);
  });

  it("replaces its own files of an earlier run, removes those it no longer writes and leaves the user's files alone", () => {
    const dir = join(scratch(), 'out');
    writeOutputDir(dir, [...FILES, {name: '005-canary-sparc.web.yaml', content: 'kind: Canary\n'}]);
    writeFileSync(join(dir, 'kustomization.yaml'), 'resources: []\n');
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const second = FILES.map((file) => ({...file, content: `${file.content}# second\n`}));
    const result = writeOutputDir(dir, second);
    expect(result.removed).toEqual([join(dir, '005-canary-sparc.web.yaml')]);
    expect(readdirSync(dir).sort()).toEqual([...FILES.map((file) => file.name), 'kustomization.yaml', 'notes.txt']);
    expect(readFileSync(join(dir, FILES[2]!.name), 'utf8')).toBe(`${OUTPUT_MARKER}\nkind: Deployment\n# second\n`);
    expect(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')).toBe('resources: []\n');
    expect(readdirSync(join(dir, '..'))).toEqual(['out']);
  });

  it('refuses to overwrite a file it did not write (exit 2, the file named, nothing changed), and overwrites it with force', () => {
    const dir = join(scratch(), 'out');
    mkdirSync(dir);
    writeFileSync(join(dir, FILES[3]!.name), 'kind: Service # edited by hand\n');
    const before = tree(dir);
    const error = thrown(() => writeOutputDir(dir, FILES));
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toBe(
      `--output-dir: ${join(dir, FILES[3]!.name)} was not written by sparc-mesh; nothing was changed`,
    );
    expect(tree(dir)).toEqual(before);
    expect(readdirSync(join(dir, '..'))).toEqual(['out']);

    writeOutputDir(dir, FILES, {force: true});
    expect(readFileSync(join(dir, FILES[3]!.name), 'utf8')).toBe(`${OUTPUT_MARKER}\nkind: Service\n`);
  });

  it("counts a file whose marker line was deleted, and a link in place of a file, as the user's", () => {
    const dir = join(scratch(), 'out');
    writeOutputDir(dir, FILES);
    writeFileSync(join(dir, FILES[0]!.name), 'kind: Namespace # kept\n');
    const elsewhere = join(scratch(), 'elsewhere.yaml');
    writeFileSync(elsewhere, `${OUTPUT_MARKER}\nkind: Deployment\n`);
    fs.rmSync(join(dir, FILES[2]!.name));
    symlinkSync(elsewhere, join(dir, FILES[2]!.name));
    const error = thrown(() => writeOutputDir(dir, FILES));
    expect(error.message).toContain(
      `${join(dir, FILES[0]!.name)}, ${join(dir, FILES[2]!.name)} were not written by sparc-mesh`,
    );
    // Not a stale file of its own either: with fewer files, the kept one stays.
    writeOutputDir(dir, FILES.slice(1, 2));
    expect(readFileSync(join(dir, FILES[0]!.name), 'utf8')).toBe('kind: Namespace # kept\n');
    expect(readFileSync(elsewhere, 'utf8')).toBe(`${OUTPUT_MARKER}\nkind: Deployment\n`);
  });

  it('refuses a folder where a file goes, even with force', () => {
    const dir = join(scratch(), 'out');
    mkdirSync(join(dir, FILES[1]!.name), {recursive: true});
    const error = thrown(() => writeOutputDir(dir, FILES, {force: true}));
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toContain(`holds folders where files go: ${join(dir, FILES[1]!.name)}`);
  });

  describe('a target that is no folder: exit 2, nothing made', () => {
    const root = scratch();
    writeFileSync(join(root, 'file.yaml'), 'x');
    const cases: [string, string, RegExp][] = [
      ['empty', '', /^--output-dir: "" is empty$/],
      ['a file', join(root, 'file.yaml'), /is a file$/],
      ['below a file', join(root, 'file.yaml', 'out', 'deeper'),
        new RegExp(`is below ${join(root, 'file.yaml')}, which is a file$`)],
      ['a device', '/dev/null', /"\/dev\/null" is a device$/],
      ['below a device', '/dev/null/out', /is below \/dev\/null, which is a device$/],
      ['under /proc', '/proc/x', /is on a kernel filesystem \(\/proc\), not storage$/],
      ['deep under /proc', '/proc/self/x/y/z', /is on a kernel filesystem/],
      ['under /sys', '/sys/x/y', /is on a kernel filesystem \(\/sys\), not storage$/],
      ['a cgroup folder', '/sys/fs/cgroup/out', /is on a kernel filesystem/],
    ];
    for (const [name, dir, message] of cases) {
      it(name, () => {
        const before = tree(root);
        const error = thrown(() => writeOutputDir(dir, FILES));
        expect(error.message).toMatch(message);
        expect(exitCodeOf(error)).toBe(2);
        expect(tree(root)).toEqual(before);
      });
    }
  });

  describe('a full disk half-way through (ENOSPC on the third file): the file named, exit 1, the target as it was', () => {
    it('over an earlier run', () => {
      const dir = join(scratch(), 'out');
      writeOutputDir(dir, [...FILES, {name: '005-canary-sparc.web.yaml', content: 'kind: Canary\n'}]);
      writeFileSync(join(dir, 'notes.txt'), 'mine\n');
      const before = tree(join(dir, '..'));
      const error = thrown(() =>
        writeOutputDir(dir, FILES.map((file) => ({...file, content: `${file.content}# second\n`})), {}, diskFullAt(3))
      );
      expect(error.message).toBe(
        `cannot write ${join(dir, FILES[2]!.name)}: ENOSPC: injected, write; nothing in ${dir} was changed`,
      );
      expect(exitCodeOf(error)).toBe(1);
      expect(tree(join(dir, '..'))).toEqual(before);
    });

    it('into folders it had to make, which it takes away again', () => {
      const root = scratch();
      const error = thrown(() => writeOutputDir(join(root, 'a', 'b', 'out'), FILES, {}, diskFullAt(3)));
      expect(error.message).toContain(`cannot write ${join(root, 'a', 'b', 'out', FILES[2]!.name)}: ENOSPC`);
      expect(readdirSync(root)).toEqual([]);
    });
  });

  it('a folder it may not write to: exit 2 naming it', () => {
    const root = scratch();
    const readOnly: OutputFs = {...fs, mkdirSync: (() => {
      throw errno('EACCES', 'mkdir');
    }) as typeof fs.mkdirSync};
    const error = thrown(() => writeOutputDir(join(root, 'out'), FILES, {}, readOnly));
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toMatch(
      new RegExp(`^--output-dir: cannot write ${join(root, '.out.sparc-mesh-')}[0-9a-f]+: EACCES`),
    );
    expect(readdirSync(root)).toEqual([]);
  });
});

describe('writeOutputDir through a link to a folder', () => {
  it('writes into the folder it points to, and the link stays a link', () => {
    const root = scratch();
    const real = join(root, 'real');
    mkdirSync(real);
    symlinkSync(real, join(root, 'link'));
    const result = writeOutputDir(join(root, 'link'), FILES);
    expect(result.written[0]).toBe(join(real, FILES[0]!.name));
    expect(fs.lstatSync(join(root, 'link')).isSymbolicLink()).toBe(true);
    expect(readdirSync(real).sort()).toEqual(FILES.map((file) => file.name));
    expect(readdirSync(root).sort()).toEqual(['link', 'real']);
  });
});

describe('a rename that fails half-way (EIO on the second file)', () => {
  it('names the file, says what is in place, and leaves no staging folder', () => {
    const dir = join(scratch(), 'out');
    writeOutputDir(dir, FILES);
    let renames = 0;
    const failing: OutputFs = {...fs, renameSync: ((from: string, to: string) => {
      renames += 1;
      if (renames === 2) throw errno('EIO', 'rename');
      fs.renameSync(from, to);
    }) as typeof fs.renameSync};
    const error = thrown(() => writeOutputDir(dir, FILES, {}, failing));
    expect(error.message).toBe(
      `cannot write ${
        join(dir, FILES[1]!.name)
      }: EIO: injected, rename; some files of this run are in place, the others are not`,
    );
    expect(exitCodeOf(error)).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(FILES.map((file) => file.name));
  });
});
