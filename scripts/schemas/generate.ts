// `npm run schemas`: build schemas/ (git-ignored, shipped in the npm package) from the
// upstream versions pinned in versions.json. Sources come only from the Go module cache
// (`go mod download`), and for Linkerd from its committed extract (scripts/schemas/linkerd.ts);
// output is deterministic and the run is skipped when schemas/index.json already records the
// same pins and generator.
//
//   node --import tsx scripts/schemas/generate.ts [--force]
import {createHash} from 'node:crypto';
import {existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {compileKind} from './compile.js';
import {celTreeSource} from './cel.js';
import {readCrds} from './crds.js';
import {apiVersionOf, FAMILY_PRECEDENCE, kindKey, type Family, type KindSchema} from './kinds.js';
import {readKubernetes} from './kubernetes.js';
import {assertLinkerdExtractIs, LINKERD_EXTRACT_DIR, linkerdCrdFiles} from './linkerd.js';
import {moduleDir} from './go.js';
import {addStats, emptyStats, type ConversionStats, type SchemaNode} from './openapi.js';
import type {CelNode} from '../../src/core/schema/cel/types.js';
import type {CelCoverage, SchemaIndex} from '../../src/core/schema/types.js';
import {codeCacheFile, loadValidatorModule, VALIDATOR_WRAPPER} from '../../src/adapters/schemas/validators.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'schemas');
const GENERATOR_DIR = dirname(fileURLToPath(import.meta.url));

type PinName = 'kubernetes' | 'gatewayApi' | 'istio' | 'linkerd' | 'flagger' | 'prometheusOperator';
const PIN_OF_FAMILY: Record<Family, PinName> = {kubernetes: 'kubernetes', 'gateway-api': 'gatewayApi', istio: 'istio',
  linkerd: 'linkerd', flagger: 'flagger', 'prometheus-operator': 'prometheusOperator'};

interface Pin {
  module: string;
  version: string;
}

function readPins(): Partial<Record<Family, Pin>> {
  const versions = JSON.parse(readFileSync(join(ROOT, 'versions.json'), 'utf8')) as {go: Record<string, Pin>};
  const pins: Partial<Record<Family, Pin>> = {};
  for (const family of FAMILY_PRECEDENCE) {
    const pin = versions.go[PIN_OF_FAMILY[family]];
    if (!pin) throw new Error(`versions.json: no go.${PIN_OF_FAMILY[family]} pin`);
    // Linkerd's version is a release tag: its CRDs come from the committed extract of that release.
    if (family === 'linkerd') assertLinkerdExtractIs(pin.version);
    if (family === 'linkerd' || /^v\d/.test(pin.version)) pins[family] = pin;
  }
  return pins;
}

/** The loader whose module wrapper the code caches are made for. */
const LOADER = join(ROOT, 'src/adapters/schemas/validators.ts');
/** What reads the rule trees the modules carry, and decides which rules are checked. */
const CEL_DIR = join(ROOT, 'src/core/schema/cel');

/** Changes when the generator, the loader or the Ajv that writes the code changes, so that a stale schemas/ is rebuilt. */
function generatorFingerprint(): string {
  const hash = createHash('sha256');
  const typescriptIn = (dir: string) =>
    readdirSync(dir).filter((name) => name.endsWith('.ts')).sort().map((name) => join(dir, name));
  const sources = [...typescriptIn(GENERATOR_DIR), LOADER, ...typescriptIn(CEL_DIR),
    ...linkerdCrdFiles().map((file) => join(LINKERD_EXTRACT_DIR, file))];
  for (const file of sources) hash.update(file.slice(ROOT.length)).update(readFileSync(file));
  const require = createRequire(import.meta.url);
  // @bufbuild/cel exports no package.json subpath: read the file beside its entry point's node_modules folder.
  const packageJsonOf = (name: string) =>
    join(require.resolve(name).split(`/node_modules/${name}/`)[0]!, 'node_modules', name, 'package.json');
  for (const name of ['ajv', 'ajv-formats', '@bufbuild/cel']) {
    hash.update(name).update((JSON.parse(readFileSync(packageJsonOf(name), 'utf8')) as {version: string}).version);
  }
  return hash.digest('hex').slice(0, 16);
}

function filesUnder(dir: string, extension: RegExp): string[] {
  return readdirSync(dir, {recursive: true, encoding: 'utf8'}).filter((file) => extension.test(file)).sort();
}

interface Extracted {
  definitions: Record<string, SchemaNode>;
  kinds: KindSchema[];
  stats: ConversionStats;
}

function extract(pins: Partial<Record<Family, Pin>>): Extracted {
  const k8sPin = pins.kubernetes;
  if (!k8sPin) throw new Error('versions.json: go.kubernetes must be pinned (it provides ObjectMeta for every kind)');
  const stats = emptyStats();
  const kinds: KindSchema[] = [];
  const kubernetes = readKubernetes(moduleDir(k8sPin.module, k8sPin.version), `${k8sPin.module}@${k8sPin.version}`);
  kinds.push(...kubernetes.kinds);
  addStats(stats, kubernetes.stats);

  const crdFiles = (family: Family, pin: Pin, paths: (dir: string) => string[],
    dir = moduleDir(pin.module, pin.version)): void =>
  {
    const found = paths(dir);
    if (found.length === 0) throw new Error(`${pin.module}@${pin.version}: no CRD files found for ${family}`);
    for (const path of found) {
      const text = readFileSync(join(dir, path), 'utf8');
      const crds = readCrds(text, family, {module: `${pin.module}@${pin.version}`, path});
      if (crds.kinds.length === 0) continue;
      kinds.push(...crds.kinds);
      addStats(stats, crds.stats);
    }
  };
  const gatewayApi = pins['gateway-api'];
  // Standard channel first: where both channels define a kind, the stricter standard schema wins;
  // experimental adds the kinds and versions standard lacks.
  if (gatewayApi) {
    crdFiles('gateway-api', gatewayApi,
      (dir) =>
        ['standard', 'experimental'].flatMap((channel) =>
          filesUnder(join(dir, 'config/crd', channel), /\.yaml$/).map((file) => `config/crd/${channel}/${file}`)
        ));
  }
  if (pins.istio) crdFiles('istio', pins.istio, () => ['manifests/charts/base/files/crd-all.gen.yaml']);
  if (pins.linkerd) crdFiles('linkerd', pins.linkerd, linkerdCrdFiles, LINKERD_EXTRACT_DIR);
  if (pins.flagger) crdFiles('flagger', pins.flagger, () => ['artifacts/flagger/crd.yaml']);
  // Only the kinds sparc-mesh renders (observability setup's monitors and alert rules).
  const operator = pins['prometheus-operator'];
  if (operator) {
    crdFiles('prometheus-operator', operator,
      () =>
        ['podmonitors', 'servicemonitors', 'prometheusrules'].map((name) =>
          `example/prometheus-operator-crd/monitoring.coreos.com_${name}.yaml`
        ));
  }
  return {definitions: kubernetes.definitions, kinds, stats};
}

/** One schema per group/version/kind: the first family (in precedence order) wins; a clash inside a family is a bug. */
function resolveClashes(kinds: readonly KindSchema[]): {kept: KindSchema[]; shadowed: string[]} {
  const byKey = new Map<string, KindSchema>();
  const shadowed: string[] = [];
  const ordered = [...kinds].sort((a, b) => FAMILY_PRECEDENCE.indexOf(a.family) - FAMILY_PRECEDENCE.indexOf(b.family));
  for (const kind of ordered) {
    const key = kindKey(kind);
    const existing = byKey.get(key);
    if (!existing) byKey.set(key, kind);
    else if (existing.family === kind.family && existing.source.path === kind.source.path) {
      throw new Error(`${key} defined twice in ${kind.source.module} ${kind.source.path}`);
    } else shadowed.push(`${key} from ${kind.source.module} ${kind.source.path} (${existing.family} provides it)`);
  }
  const kept = [...byKey.values()].sort((a, b) => kindKey(a).localeCompare(kindKey(b)));
  return {kept, shadowed: shadowed.sort()};
}

/** Counts what validate can check of a kind's CEL rules, from the handling cel.ts stored with each. */
function addCelCoverage(coverage: CelCoverage, node: CelNode): void {
  for (const rule of node.rules ?? []) {
    const handling = rule.handling;
    if (!handling) throw new Error(`a CEL rule without its handling: ${rule.rule}`);
    coverage.total++;
    if (rule.fast) coverage.compiled++;
    if (handling.kind === 'checked') coverage.checked++;
    else if (handling.kind === 'transition') coverage.transition++;
    else coverage.unsupported[handling.reason] = (coverage.unsupported[handling.reason] ?? 0) + 1;
  }
  for (const child of [...Object.values(node.properties ?? {}), node.items, node.additionalProperties]) {
    if (child) addCelCoverage(coverage, child);
  }
}

/** The rule tree rides in the kind's module, so that loading the validator brings its rules (src/core/schema/cel). */
function withCelRules(code: string, kind: KindSchema): string {
  return kind.cel ? `${code}\nmodule.exports.cel = ${celTreeSource(kind.cel)};\n` : code;
}

/** `apps/v1/Deployment.cjs`, `core/v1/Service.cjs`. */
function moduleFileOf(kind: KindSchema): string {
  return `${kind.group || 'core'}/${kind.version}/${kind.kind}.cjs`;
}

/**
 * Runs the module once on a minimal object, so that the cache also holds the compiled root
 * and `spec` functions, and stores V8's code cache beside it. Returns the bytes written.
 */
function writeCodeCache(moduleFile: string, kind: KindSchema): number {
  const {validate, script} = loadValidatorModule(moduleFile);
  validate({apiVersion: apiVersionOf(kind.group, kind.version), kind: kind.kind, metadata: {name: 'cache-warmer'},
    spec: {}});
  const cache = script.createCachedData();
  writeFileSync(codeCacheFile(moduleFile), cache);
  return cache.byteLength;
}

function isUpToDate(pinsRecord: Record<string, string>, generator: string): boolean {
  const indexFile = join(OUT, 'index.json');
  if (!existsSync(indexFile)) return false;
  const index = JSON.parse(readFileSync(indexFile, 'utf8')) as SchemaIndex;
  return index.generator === generator && index.v8 === process.versions.v8
    && JSON.stringify(index.pins) === JSON.stringify(pinsRecord)
    && Object.values(index.kinds).every((entry) => existsSync(join(OUT, entry.module)));
}

/**
 * Replaces `out` with `staging` by two renames, so that readers (tests of other developers
 * in the same checkout) see the old or the new schemas/, never a half-written one. When a
 * concurrent run put its own schemas/ in place first, that one is kept: same pins, same
 * generator, same output.
 */
function swapInto(staging: string, out: string): void {
  const retired = `${out}.old-${process.pid}`;
  if (existsSync(out)) renameSync(out, retired);
  try {
    renameSync(staging, out);
  } catch (error) {
    if (!existsSync(join(out, 'index.json'))) throw error;
    rmSync(staging, {recursive: true, force: true});
  }
  rmSync(retired, {recursive: true, force: true});
}

function main(): void {
  const started = performance.now();
  const force = process.argv.includes('--force');
  const pins = readPins();
  const pinsRecord: Record<string, string> = Object.fromEntries(
    Object.entries(pins).map(([family, pin]) => [family, `${pin.module}@${pin.version}`]),
  );
  const generator = generatorFingerprint();
  if (!force && isUpToDate(pinsRecord, generator)) {
    console.log(`schemas/ is up to date (${Object.values(pinsRecord).join(', ')}); --force rebuilds`);
    return;
  }
  const missing: Record<string, string> = {};
  for (const family of FAMILY_PRECEDENCE) {
    if (!pins[family]) {
      missing[family] = `versions.json go.${PIN_OF_FAMILY[family]} is not pinned to a version`;
      console.warn(`WARNING: ${family} left out: ${missing[family]}`);
    }
  }

  const extracted = extract(pins);
  const {kept, shadowed} = resolveClashes(extracted.kinds);
  // Build beside the old output and swap, so that a reader never sees half a schemas/.
  const staging = `${OUT}.tmp-${process.pid}`;
  rmSync(staging, {recursive: true, force: true});
  mkdirSync(staging, {recursive: true});
  const cel: CelCoverage = {total: 0, checked: 0, compiled: 0, transition: 0, unsupported: {}};
  const index: SchemaIndex = {pins: pinsRecord, generator, v8: process.versions.v8, missing, shadowed,
    stats: {...extracted.stats, cel}, kinds: {}};
  let codeBytes = 0;
  let cacheBytes = 0;
  for (const kind of kept) {
    const file = moduleFileOf(kind);
    const code = withCelRules(compileKind(kind, extracted.definitions), kind);
    if (kind.cel) addCelCoverage(cel, kind.cel);
    mkdirSync(dirname(join(staging, file)), {recursive: true});
    writeFileSync(join(staging, file), `${VALIDATOR_WRAPPER[0]}${code}${VALIDATOR_WRAPPER[1]}`);
    codeBytes += Buffer.byteLength(code);
    cacheBytes += writeCodeCache(join(staging, file), kind);
    index.kinds[kindKey(kind)] = {module: file, family: kind.family, source: kind.source};
  }
  writeFileSync(join(staging, 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
  swapInto(staging, OUT);

  const perFamily = FAMILY_PRECEDENCE.map((family) =>
    `${family} ${kept.filter((kind) => kind.family === family).length}`
  ).join(', ');
  console.log(
    `schemas/: ${kept.length} kinds (${perFamily}) (one module each): ${(codeBytes / 1e6).toFixed(1)} MB of code, ${
      (cacheBytes / 1e6).toFixed(1)
    } MB of V8 code cache (V8 ${process.versions.v8})`,
  );
  const unsupported = Object.entries(cel.unsupported).map(([reason, count]) => `${count} ${reason}`);
  console.log(
    `CEL rules (x-kubernetes-validations): ${cel.checked} of ${cel.total} checked (${cel.compiled} of them compiled to JavaScript), ${cel.transition} transition rules (oldSelf) skipped as on create, `
      + `${unsupported.length === 0 ? 'none' : unsupported.join('; ')} not checked`,
  );
  console.log(`formats not checked: ${JSON.stringify(extracted.stats.ignoredFormats)}`);
  if (shadowed.length > 0) {
    console.log(
      `${shadowed.length} kinds provided by an earlier family were skipped (see schemas/index.json "shadowed")`,
    );
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main();
