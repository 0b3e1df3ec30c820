// validate next to the real istioctl analyze (the test harness's build) on the same files:
// every finding istioctl reports, sparc-mesh reports too, with the same code, resource,
// file and line. sparc-mesh reports more (istioctl reads no Service from files, so it
// cannot tell that a destination host does not exist); that direction is not compared.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {writeCorpus} from '../../scripts/bench/validate-corpus.js';
import {testbinPath} from '../cluster/testbin.js';
import {cli} from '../helpers/cli.js';

interface IstioctlMessage {
  code: string;
  level: string;
  origin: string;
  reference?: string;
}

interface OurFinding {
  code: string;
  severity: string;
  resource: {kind: string; namespace: string | null; name: string} | null;
  file: string | null;
  line: number | null;
}

let dir: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sparc-mesh-vs-istioctl-'));
  // 120 services: three of them (7, 57, 107) route to a subset of a host that does not exist.
  await writeCorpus(dir, 120);
});
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** `VirtualService team-07/svc-0007` → kind, namespace and name. */
function originOf(origin: string): {kind: string; namespace: string | null; name: string} {
  const [kind, ref] = origin.split(' ') as [string, string];
  const [namespace, name] = ref.includes('/') ? ref.split('/') as [string, string] : [null, ref];
  return {kind, namespace, name};
}

describe('validate and istioctl analyze on the same files', () => {
  it('reports every istioctl finding with the same code, level, resource, file and line', async () => {
    const istioctl = await execa(testbinPath('istioctl'), ['analyze', '--use-kube=false', '-A', dir, '-o', 'json'], {reject: false});
    expect(istioctl.exitCode, istioctl.stderr).toBe(0);
    const theirs = JSON.parse(istioctl.stdout) as IstioctlMessage[];
    expect(theirs.map((message) => message.code)).toEqual(['IST0101', 'IST0101', 'IST0101']);

    const ours = cli(['validate', dir, '-o', 'json', '--fail-on', 'none']);
    expect(ours.status, ours.stderr).toBe(0);
    const findings = (JSON.parse(ours.stdout) as {findings: OurFinding[]}).findings;
    for (const message of theirs) {
      const [file, line] = (message.reference ?? '').split(':') as [string, string];
      expect(findings, `${message.code} ${message.origin} ${message.reference}`).toContainEqual(expect.objectContaining({
        code: message.code,
        severity: message.level.toLowerCase(),
        resource: expect.objectContaining(originOf(message.origin)) as unknown,
        file,
        line: Number(line),
      }));
    }
  });
});
