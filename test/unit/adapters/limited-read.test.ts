import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Readable} from 'node:stream';
import {describe, expect, it} from 'vitest';
import {InputBudget, readBytesWithin, readStreamWithin} from '../../../src/adapters/files/limited-read.js';
import {readManifests} from '../../../src/adapters/files/read-manifests.js';
import {UsageError} from '../../../src/errors.js';

const folder = mkdtempSync(join(tmpdir(), 'sparc-mesh-limits-'));

function file(name: string, content: string | Buffer): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}

describe('limited reads', () => {
  it('refuses a file over the size limit before reading it, naming the file (exit 2)', () => {
    const big = file('big.yaml', 'x'.repeat(2048));
    const error = (() => {
      try {
        readBytesWithin(big, new InputBudget({fileBytes: 1024, totalBytes: 4096}));
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).exitCode).toBe(2);
    expect((error as Error).message).toContain(`${big}: is 2 KiB, over the limit of 1 KiB`);
  });

  it('refuses the file that brings the run over the total', () => {
    const budget = new InputBudget({fileBytes: 1024, totalBytes: 1500});
    readBytesWithin(file('one.yaml', 'x'.repeat(1000)), budget);
    const two = file('two.yaml', 'x'.repeat(1000));
    expect(() => readBytesWithin(two, budget)).toThrow(`${two}: brings the input to`);
  });

  it('stops reading a stream as soon as it passes the limit', async () => {
    let pulled = 0;
    const endless = Readable.from((function* chunks() {
      for (;;) {
        pulled++;
        yield Buffer.alloc(512);
      }
    })());
    await expect(readStreamWithin(endless, '<stdin>', {fileBytes: 2048})).rejects.toThrow('<stdin>: is more than');
    expect(pulled).toBeLessThan(10);
  });

  it('reports a manifest file that is not UTF-8 as an unreadable-input problem, and reads the others', async () => {
    const bad = file('latin1.yaml',
      Buffer.concat([Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: caf'), Buffer.from([0xE9]),
        Buffer.from('}\n')]));
    const good = file('good.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n');
    const read = await readManifests([bad, good]);
    expect(read.parseErrors).toEqual([{file: bad, line: 3, column: 1,
      message: expect.stringContaining('not valid UTF-8'), kind: 'unreadable'}]);
    expect(read.objects.map(({object}) => object.metadata.name)).toEqual(['ok']);
    expect(read.files).toEqual([bad, good]);
  });
});
