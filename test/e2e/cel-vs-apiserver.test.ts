// sparc-mesh's offline evaluation of the CRDs' CEL rules (x-kubernetes-validations) against
// the real API server (test/cluster) with the pinned CRDs installed: every object of the
// generated corpus (test/e2e/fixtures/cel-corpus.ts) is sent with server-side dry-run, and
// the API server's verdict (accepted or refused) is compared with the schema checker's.
// Every disagreement is printed; where both refuse, the server must print each of our CEL
// messages at the same field.
import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {execa} from 'execa';
import yaml from 'js-yaml';
import {beforeAll, describe, expect, it} from 'vitest';
import {createSchemaChecker} from '../../src/adapters/schemas/index.js';
import type {KubeObject} from '../../src/core/objects.js';
import {testbinPath, testKubeconfig} from '../cluster/testbin.js';
import {celCorpus, type CelCase} from './fixtures/cel-corpus.js';
import {ensureIstioCrds} from './istio-crds.js';
import {pinnedModuleDir} from './pinned-module.js';

const kubectl = (args: string[], input?: string) =>
  execa(testbinPath('kubectl'), ['--kubeconfig', testKubeconfig(), ...args], {input, reject: false, all: true});

/** Gateway API's standard channel (the schemas validate uses where both channels define a kind) and Flagger's CRD, as the pinned releases ship them. */
async function installCrds(): Promise<void> {
  await ensureIstioCrds(testKubeconfig());
  const standard = join(pinnedModuleDir('gatewayApi'), 'config/crd/standard');
  const gatewayApi = readdirSync(standard).filter((file) => file.endsWith('.yaml'))
    .flatMap((file) => yaml.loadAll(readFileSync(join(standard, file), 'utf8')))
    .filter((document) => (document as {kind?: string} | null)?.kind === 'CustomResourceDefinition');
  const flagger = yaml.loadAll(readFileSync(join(pinnedModuleDir('flagger'), 'artifacts/flagger/crd.yaml'), 'utf8'));
  const applied = await kubectl(['apply', '--server-side', '--force-conflicts', '--field-manager=cel-agreement-crds',
    '-f', '-'], JSON.stringify({apiVersion: 'v1', kind: 'List', items: [...gatewayApi, ...flagger]}));
  if (applied.exitCode !== 0) throw new Error(`installing the CRDs failed:\n${applied.all}`);
  await kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=120s']);
}

interface Verdicts {
  case: CelCase;
  name: string;
  serverRefused: boolean;
  serverOutput: string;
  offline: {path: string; rule: string; message: string}[];
}

/** Runs `task` over `items`, `limit` at a time (each one spawns kubectl). */
async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  await Promise.all(Array.from({length: limit}, async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await task(items[i]!);
  }));
  return results;
}

/**
 * Field paths in one notation: the API server writes map keys in brackets (`matchLabels[app]`),
 * sparc-mesh dots plain keys and quotes others (`matchLabels.app`, `labels["a/b"]`); list
 * positions are `[0]` in both.
 */
const sameNotation = (text: string) =>
  text.replace(/\[("?)([^\]"]*)\1\]/g,
    (whole, quote: string, key: string) => (quote === '' && /^\d+$/.test(key) ? whole : `.${key}`));

let verdicts: Verdicts[];

beforeAll(async () => {
  await installCrds();
  const checker = createSchemaChecker();
  verdicts = await mapLimited(celCorpus(), 4, async (celCase) => {
    // Created, not server-side applied: apply's merge refuses duplicate list keys before validation runs.
    const result = await kubectl(['create', '--dry-run=server', '-f', '-'], JSON.stringify(celCase.object));
    const problems = await checker.checkObjects([celCase.object as unknown as KubeObject]);
    return {case: celCase, name: (celCase.object.metadata as {name: string}).name, serverRefused: result.exitCode !== 0,
      serverOutput: result.all ?? '',
      offline: problems.filter((problem) => problem.type === 'invalid').map(({path, rule, message}) => ({path, rule,
        message})
      )};
  });
}, 600_000);

describe('CEL rules offline vs the API server', () => {
  it("gives the API server's verdict for at least 98% of the objects", () => {
    const disagreements = verdicts.filter((verdict) => verdict.serverRefused !== (verdict.offline.length > 0));
    for (const verdict of disagreements) {
      console.log(
        `DISAGREE ${verdict.name} (${verdict.case.breaks ?? 'near miss'}): API server ${
          verdict.serverRefused ? 'refused' : 'accepted'
        }, `
          + `sparc-mesh ${
            verdict.offline.length > 0 ? 'refused' : 'accepted'
          }\n  server: ${verdict.serverOutput.trim()}\n  offline: ${JSON.stringify(verdict.offline)}`,
      );
    }
    const agreement = 1 - disagreements.length / verdicts.length;
    console.log(
      `CEL agreement: ${verdicts.length - disagreements.length} of ${verdicts.length} objects (${
        (agreement * 100).toFixed(1)
      }%), `
        + `${verdicts.filter((verdict) => verdict.case.breaks).length} breaking a rule, ${
          verdicts.filter((verdict) => !verdict.case.breaks).length
        } near misses`,
    );
    expect(agreement).toBeGreaterThanOrEqual(0.98);
  });

  it("reports each CEL failure with the API server's message, at the API server's field", () => {
    const unmatched = verdicts.filter((verdict) => verdict.serverRefused).flatMap((verdict) =>
      verdict.offline
        .filter((problem) =>
          problem.rule === 'cel'
          && !(sameNotation(verdict.serverOutput).includes(`${sameNotation(problem.path)}: `)
            && verdict.serverOutput.includes(problem.message))
        )
        .map((problem) =>
          `${verdict.name}: ours ${problem.path}: ${problem.message}\n  server: ${verdict.serverOutput.trim()}`
        )
    );
    for (const line of unmatched) console.log(`MESSAGE ${line}`);
    expect(unmatched).toEqual([]);
  });

  it('has a corpus the API server agrees with: objects breaking a rule are refused with its message, near misses accepted', () => {
    const breaking = verdicts.filter((verdict) => verdict.case.breaks);
    const refusedWithMessage = breaking.filter((verdict) =>
      verdict.serverRefused && verdict.serverOutput.includes(verdict.case.breaks!)
    );
    const nearMisses = verdicts.filter((verdict) => !verdict.case.breaks);
    const accepted = nearMisses.filter((verdict) => !verdict.serverRefused);
    for (const verdict of [...breaking.filter((v) => !refusedWithMessage.includes(v)),
      ...nearMisses.filter((v) => !accepted.includes(v))])
    {
      console.log(
        `CORPUS ${verdict.name} (${verdict.case.breaks ?? 'near miss'}): server ${verdict.serverOutput.trim()}`,
      );
    }
    expect(refusedWithMessage.length / breaking.length).toBeGreaterThanOrEqual(0.9);
    expect(accepted.length / nearMisses.length).toBeGreaterThanOrEqual(0.9);
  });
});
