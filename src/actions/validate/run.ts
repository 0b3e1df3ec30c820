// `sparc-mesh validate`: gather objects (files, standard input, the live cluster or both),
// run every analyser, apply suppressions and decide the exit code. Commands only parse
// flags and print; everything that decides what a run means happens here or in core.
import {invalidFlag} from '../../errors.js';
import {STDIN_NAME} from '../../adapters/files/read-manifests.js';
import {validateAnalyzers, type AnalyzerOptions} from '../../core/analyze/all.js';
import {parseSuppressions, runAnalysis, SuppressionSyntaxError, type FailOn, type FindingsReport,
  type Suppression} from '../../core/analyze/run.js';
import {metadataFindings} from '../../core/analyze/metadata-findings.js';
import {schemaFinding} from '../../core/analyze/schema-findings.js';
import type {AnalysisInput, Finding} from '../../core/analyze/types.js';
import {refOf, type SourcedObject} from '../../core/objects.js';
import type {SchemaProblem} from '../../core/schema/index.js';
import type {AnalysedResource} from '../../ui/findings/index.js';
import {untimed} from '../timings.js';
import type {ValidateDeps} from './deps.js';
import {atFieldLines} from './field-lines.js';
import {gather, type GatherInput} from './gather.js';
import {meshConfigOf, meshNetworksOf} from './mesh-config.js';

export interface ValidateInput extends GatherInput {
  suppress: string[];
  failOn: FailOn;
  /** Also run the analysers istioctl leaves out by default (IST0136, alpha-phase annotations). */
  alphaAnnotations?: boolean;
  /** --mesh-networks: a MeshNetworks document (istioctl's meshNetworks), for IST0126. */
  meshNetworksFile?: string;
  /** --complete: the files hold every object they refer to, so findings about missing objects are all reported. */
  complete?: boolean;
}

export interface ValidateResult {
  report: FindingsReport;
  /** For standard error (and --json warnings): what the run could not check. */
  notes: string[];
  /** Every analysed object, for printers that list passing resources too (JUnit). */
  resources: AnalysedResource[];
  /** File names that are not files (standard input), for printers that link to files (SARIF). */
  pseudoFiles: string[];
  /** 3 when a finding is at or above --fail-on, else 0. */
  exitCode: 0 | 3;
}

/** --suppress rules; one that does not parse is a usage error naming the flag. */
function suppressionsOf(texts: readonly string[]): Suppression[] {
  try {
    return parseSuppressions(texts);
  } catch (error) {
    if (error instanceof SuppressionSyntaxError) throw invalidFlag('suppress', error.text, error.problem, error.hint);
    throw error;
  }
}

/**
 * Schema and metadata findings for the objects read from files. Live objects are not
 * checked: the API server validated them when they were written.
 */
export async function schemaFindings(objects: readonly SourcedObject[],
  checkSchemas: ValidateDeps['checkSchemas']): Promise<Finding[]>
{
  const fromFiles = objects.filter((target) => target.source);
  const problems = await checkSchemas(fromFiles.map((target) => target.object));
  const findings: Finding[] = [];
  fromFiles.forEach((target, index) => {
    for (const problem of problems[index] as SchemaProblem[]) findings.push(schemaFinding(problem, target));
    for (const finding of metadataFindings(target)) findings.push(finding);
  });
  return findings;
}

/**
 * The clock and the certificate reader the gateway certificate checks (IST0161) need, loaded
 * only when some Gateway could name a Secret of the input: the reader costs a module load.
 */
async function certificateChecks(objects: readonly SourcedObject[],
  deps: ValidateDeps): Promise<Pick<AnalyzerOptions, 'now' | 'readCertificate'>>
{
  const holds = (kind: string) => objects.some(({object}) => object.kind === kind);
  if (!holds('Gateway') || !holds('Secret')) return {};
  return {now: new Date(deps.now()), readCertificate: await deps.loadCertificateReader()};
}

export async function validate(input: ValidateInput, deps: ValidateDeps): Promise<ValidateResult> {
  const suppressions = suppressionsOf(input.suppress);
  const meshConfig = await meshConfigOf(input, deps);
  const meshNetworks = await meshNetworksOf(input, deps);
  const gathered = await gather(input, deps, meshConfig);
  // A cluster lists every object of a kind; files hold what someone chose to put in them.
  const partial = input.paths.length > 0 && !input.cluster && !input.complete;
  const time = deps.time ?? untimed;
  const placed = atFieldLines(gathered.objects, gathered.texts);
  const options = {alphaAnnotations: input.alphaAnnotations, ...meshNetworks ? {meshNetworks} : {},
    ...await certificateChecks(gathered.objects, deps)};
  const analyzers = (deps.analyzers ? deps.analyzers(meshConfig) : validateAnalyzers(meshConfig, options))
    .map((analyzer) => ({...analyzer,
      analyze: (analysed: AnalysisInput) =>
        placed(time(`analyser ${analyzer.name}`, () => analyzer.analyze(analysed)))})
    );
  const schema = placed(await time('schema', () => schemaFindings(gathered.objects, deps.checkSchemas)));
  const report = runAnalysis({objects: gathered.objects, partial, ...meshConfig ? {meshConfig} : {}}, {analyzers,
    inputFindings: [...gathered.inputFindings, ...schema], suppressions, failOn: input.failOn,
    isReported: gathered.isReported,
    stats: {files: gathered.files.length, skippedDocuments: gathered.skippedDocuments}});
  const resources = gathered.objects.map((
    {object, source},
  ) => (source ? {resource: refOf(object), file: source.file, line: source.line} : {resource: refOf(object)}));
  return {report, resources, pseudoFiles: [STDIN_NAME], exitCode: report.summary.failed ? 3 : 0,
    notes: deps.schemaNotes()};
}
