// Numbers for docs/schemas.md: what checking costs, measured through src/adapters/schemas as
// callers use it. The code is transpiled to plain JavaScript first (as `npm run build` ships
// it; tsx would add its own loader to every require), and each scenario runs in a fresh
// process so that loading is measured cold.
//   node --import tsx scripts/schemas/measure.ts
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import ts from 'typescript';
import type {KubeObject} from '../../src/core/objects.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ENTRY_POINTS = ['src/adapters/schemas/index.ts', 'test/unit/schema/fixtures.ts', 'scripts/schemas/measure.ts'];
const RELATIVE_IMPORT = /from '(\.\.?\/[^']+)\.js'/g;

/** The entry points and what they import, as .js under a temporary root whose schemas/ and node_modules/ are the checkout's. */
function transpile(): string {
  const root = mkdtempSync(join(tmpdir(), 'sparc-schemas-measure-'));
  const pending = [...ENTRY_POINTS];
  const done = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (done.has(file)) continue;
    done.add(file);
    const source = readFileSync(join(ROOT, file), 'utf8');
    for (const [, specifier] of source.matchAll(RELATIVE_IMPORT)) pending.push(join(dirname(file), `${specifier}.ts`));
    const {outputText} = ts.transpileModule(source, {
      compilerOptions: {module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022},
    });
    mkdirSync(dirname(join(root, file)), {recursive: true});
    writeFileSync(join(root, file.replace(/\.ts$/, '.js')), outputText);
  }
  writeFileSync(join(root, 'package.json'), '{"name": "sparc-mesh", "type": "module"}');
  for (const linked of ['schemas', 'node_modules']) symlinkSync(join(ROOT, linked), join(root, linked));
  return root;
}

// What `onboard` renders for an Istio service (templates/service, istio, policies).
const ONBOARD = ['namespace', 'serviceAccount', 'networkPolicy', 'peerAuthentication', 'istioAuthorizationPolicy',
  'destinationRule', 'virtualService', 'canary'];

/** Label → kinds (fixture names) and how many objects to check, cycling through them. */
const SCENARIOS: Record<string, {kinds: string[]; count: number}> = {
  'one VirtualService (index + its validator + first check)': {kinds: ['virtualService'], count: 1},
  'onboard set (one object each of 8 kinds)': {kinds: ONBOARD, count: ONBOARD.length},
  '1,000 services x 8 objects': {kinds: ONBOARD, count: 8000},
  '10,000 objects of 14 kinds': {kinds: ['all'], count: 10_000},
};

async function runScenario(kinds: readonly string[], count: number): Promise<void> {
  const fixtures = await import('../../test/unit/schema/fixtures.js') as unknown as Record<string, KubeObject> & {
    ISTIO_AND_CORE: Record<string, KubeObject>;
  };
  const extra: Record<string, KubeObject> = {
    serviceAccount: {apiVersion: 'v1', kind: 'ServiceAccount', metadata: {name: 'checkout', namespace: 'shop'}},
    namespace: {apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'shop', labels: {'istio-injection': 'enabled'}}},
  };
  const pick = (
    name: string,
  ) => (name === 'all' ? Object.values(fixtures.ISTIO_AND_CORE) : [extra[name] ?? fixtures[name]!]);
  const base = kinds.flatMap(pick);
  const objects = Array.from({length: count}, (_, i) => {
    const object = base[i % base.length]!;
    return {...object, metadata: {...object.metadata, name: `${object.metadata.name}-${i}`}};
  });
  const {checkObjects} = await import('../../src/adapters/schemas/index.js');
  const cpu = process.cpuUsage();
  const started = performance.now();
  const problems = await checkObjects(objects);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (problems.length > 0) throw new Error(`fixtures should be valid: ${JSON.stringify(problems[0])}`);
  console.log(JSON.stringify({objects: objects.length, ms, cpuMs: (used.user + used.system) / 1000}));
}

interface Run {
  objects: number;
  ms: number;
  cpuMs: number;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

const scenario = process.argv[2];
if (scenario) {
  const {kinds, count} = SCENARIOS[scenario]!;
  await runScenario(kinds, count);
} else {
  const root = transpile();
  // The baseline the CLI's budgets are stated against, measured in the same run (this machine is shared).
  const baseline = round(Math.min(...[0, 1, 2, 3, 4].map(() => {
    const started = performance.now();
    execFileSync(process.execPath, ['-e', '0']);
    return performance.now() - started;
  })));
  console.log(`node -e 0: best of 5 ${baseline} ms wall`);
  for (const label of Object.keys(SCENARIOS)) {
    const runs = [0, 1, 2, 3, 4].map(() =>
      JSON.parse(
        execFileSync(process.execPath, [join(root, 'scripts/schemas/measure.js'), label], {encoding: 'utf8'}),
      ) as Run
    );
    const best = (key: 'ms' | 'cpuMs') => round(Math.min(...runs.map((run) => run[key])));
    console.log(
      `${label}: ${runs[0]!.objects} objects, best of 5: ${best('ms')} ms wall (${
        round(best('ms') / baseline * 100)
      }% of node -e 0), ${best('cpuMs')} ms CPU`,
    );
  }
  if (process.env.KEEP) console.log(root);
  else rmSync(root, {recursive: true, force: true});
}
