// The base every sparc-mesh command extends: one JSON envelope, one mapping from
// errors to exit codes, kubectl-style `--dry-run` spelling, typed results, and the one
// dependency bag its actions receive (actions/deps.ts), built here once per run. Every
// line a command prints goes through it: this.log and this.note, or the bag's `out` and
// `progress`, which say nothing under --json (the envelope carries the result).
import {Command, Errors, type Interfaces} from '@oclif/core';
import {createKubeClient, type KubeConnection} from '../adapters/kube/client.js';
import type {ActionDeps} from '../actions/deps.js';
import {showProgress} from '../ui/progress.js';
import {terminalPrompt} from '../ui/prompt.js';
import {refuseBlankValues} from './blank-values.js';
import {acrossClusters, type ClusterOutcome} from './clusters.js';
import {EXIT, PreconditionError, ToolError, UsageError} from '../errors.js';
import {escapeMessage} from '../core/terminal-text.js';
import {isTerminal, printErrorLine, printLine, printText} from '../ui/stdio.js';

export interface ErrorEnvelope {
  status: number;
  name: string;
  message: string;
  hint: string;
  code: string;
  tool?: {name: string; args: readonly string[]; exitCode?: number; stderr: string};
}

export interface SuccessEnvelope<T> {
  status: number;
  result: T;
  warnings: string[];
}

function isParseError(error: unknown): boolean {
  // oclif's CLIParseError (unknown flags, bad options, missing args) carries the parse it failed.
  return error instanceof Errors.CLIError && 'parse' in error;
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof UsageError) return EXIT.usage;
  if (error instanceof ToolError || error instanceof PreconditionError) return EXIT.failure;
  if (isParseError(error)) return EXIT.usage;
  if (error instanceof Errors.CLIError) return error.oclif?.exit ?? EXIT.failure;
  return EXIT.failure;
}

/** Every error's stable code and what to try, so that a script reading --json never meets an error without them. */
function codeAndHint(error: unknown): {code: string; hint: string} {
  if (error instanceof UsageError || error instanceof PreconditionError) {
    return {code: error.code, hint: error.hint ?? 'run the command with --help for its flags'};
  }
  if (error instanceof ToolError) return {code: error.code, hint: error.hint};
  if (isParseError(error)) return {code: 'InvalidFlag', hint: 'run the command with --help for its flags'};
  if (error instanceof Errors.CLIError) return {code: 'CommandFailed', hint: 'run the command with --help'};
  return {code: 'UnexpectedFailure', hint: 'run again with DEBUG=1 for the stack trace, and report it'};
}

export function errorEnvelope(error: unknown): ErrorEnvelope {
  const err = error instanceof Error ? error : new Error(String(error));
  const envelope: ErrorEnvelope = {status: exitCodeOf(error), name: err.name, message: err.message,
    ...codeAndHint(error)};
  if (error instanceof ToolError) {
    envelope.tool = {name: error.tool, args: error.args, stderr: error.stderrTail};
    if (error.toolExitCode !== undefined) envelope.tool.exitCode = error.toolExitCode;
  }
  return envelope;
}

/**
 * `--dry-run` alone means a client-side dry run, as in kubectl; oclif needs a value,
 * so the bare flag is rewritten before parsing. `--dry-run=server` passes through.
 */
export function normalizeDryRun(argv: readonly string[]): string[] {
  return argv.map((arg) => (arg === '--dry-run' ? '--dry-run=client' : arg));
}

/** A job run on each cluster of a command (see BaseCommand.onClusters). */
export interface ClusterJob<R> {
  /** The progress display's title when there is one cluster. */
  title: string;
  run: (connection: KubeConnection, deps: ActionDeps) => Promise<R>;
  /** What is printed for a cluster's result. */
  summary: (result: R) => string;
  /** Notes of a result, printed as warnings when there is one cluster. */
  notes?: (result: R) => readonly string[];
}

/** One cluster: its result; several: one outcome per cluster. */
export type ClustersResult<R> = {cluster: R; clusters?: undefined} | {cluster?: undefined;
  clusters: ClusterOutcome<R, ErrorEnvelope>[]};

const nothing = () => undefined;

/** oclif's FlagOutput and ArgOutput, which its package does not export. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- oclif's own definition
type ParsedValues = {[name: string]: any};

/** Who is at the other end of the run: a person watching (stdout a terminal, CI unset), who can also answer when stdin is a terminal. */
function terminal(): {watched: boolean; answerable: boolean} {
  const watched = !process.env.CI && isTerminal('stdout');
  return {watched, answerable: watched && isTerminal('stdin')};
}
const terminated = (text: string) => (text.endsWith('\n') ? text : `${text}\n`);

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;
  private readonly warnings: string[] = [];
  /** Set by commands whose success still carries a verdict (validate: findings → 3). */
  protected resultExitCode: number = EXIT.ok;
  private builtDeps?: ActionDeps;

  public override async init(): Promise<void> {
    this.argv = normalizeDryRun(this.argv);
    await super.init();
  }

  /** oclif's parse, then the rules every command shares: no blank value of any flag or argument. */
  protected override async parse<F extends ParsedValues, B extends ParsedValues, A extends ParsedValues>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    const parsed = await super.parse(options, argv);
    refuseBlankValues(parsed.flags, parsed.argv);
    return parsed;
  }

  /** The dependency bag of this run's actions, built on first use. */
  protected get deps(): ActionDeps {
    this.builtDeps ??= this.buildDeps();
    return this.builtDeps;
  }

  /** Real clusters and clock; prompts only when stdin and stdout are terminals and CI is unset. */
  protected buildDeps(): ActionDeps {
    const json = this.jsonEnabled();
    return {
      connect: createKubeClient,
      now: () => Date.now(),
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      progress: json ? nothing : (line) => this.log(line),
      out: json ? nothing : printText,
      prompt: terminalPrompt(terminal().answerable),
    };
  }

  /** Whether a person watches the output (stdout a terminal, CI unset): text may then be redrawn in place. */
  protected watched(): boolean {
    return terminal().watched;
  }

  /** Whether printed findings are coloured: stdout is a terminal and NO_COLOR is unset. */
  protected colored(): boolean {
    return !process.env.NO_COLOR && isTerminal('stdout');
  }

  /**
   * Runs an action under a progress display titled `title`: a task list when a person watches
   * a terminal, plain lines otherwise, nothing under --json.
   */
  protected async withProgress<T>(title: string, work: (deps: ActionDeps) => Promise<T>): Promise<T> {
    if (this.jsonEnabled()) return work(this.deps);
    return showProgress(title, {interactive: terminal().watched, log: this.deps.progress},
      (progress) => work({...this.deps, progress}));
  }

  /**
   * Runs a job on the run's clusters. One: under a progress display, then its notes and its
   * summary. Several (clusters.ts): in parallel, each progress line and final line prefixed
   * with its context; exit code 1 when any failed.
   */
  protected async onClusters<R>(connections: readonly KubeConnection[],
    job: ClusterJob<R>): Promise<ClustersResult<R>>
  {
    const {out, progress} = this.deps;
    if (connections.length === 1) {
      const cluster = await this.withProgress(job.title, (deps) => job.run(connections[0]!, deps));
      for (const note of job.notes?.(cluster) ?? []) this.note(`note: ${note}`);
      out(terminated(job.summary(cluster)));
      return {cluster};
    }
    const {clusters} = await acrossClusters(connections,
      (connection, report) => job.run(connection, {...this.deps, progress: report}),
      (context, line) => progress(`[${context}] ${line}`), errorEnvelope);
    for (const cluster of clusters) {
      out(
        `[${cluster.context}] ${
          cluster.ok ? job.summary(cluster.result as R) : `failed: ${escapeMessage(cluster.error?.message ?? '')}`
        }\n`,
      );
    }
    if (clusters.some((cluster) => !cluster.ok)) this.resultExitCode = EXIT.failure;
    return {clusters};
  }

  /** oclif's log, printed through ui/stdio (which creates no stream for it). */
  public override log(message = '', ...parts: unknown[]): void {
    if (!this.jsonEnabled()) printLine(message, ...parts);
  }

  public override logToStderr(message = '', ...parts: unknown[]): void {
    if (!this.jsonEnabled()) printErrorLine(message, ...parts);
  }

  protected note(message: string): void {
    this.warnings.push(message);
    this.logToStderr(escapeMessage(message));
  }

  protected override toSuccessJson(result: unknown): SuccessEnvelope<unknown> {
    return {status: this.resultExitCode, result, warnings: this.warnings};
  }

  protected override toErrorJson(error: unknown): ErrorEnvelope {
    return errorEnvelope(error);
  }

  public override async catch(error: Error & {exitCode?: number}): Promise<void> {
    const status = exitCodeOf(error);
    process.exitCode = status;
    if (this.jsonEnabled()) {
      this.logJson(this.toErrorJson(error));
      return;
    }
    const known = error instanceof UsageError || error instanceof PreconditionError || error instanceof ToolError
      || error instanceof Errors.CLIError;
    if (!known && !process.env.DEBUG) {
      printErrorLine(
        `Error: ${escapeMessage(error.message)}\n(unexpected failure: run again with DEBUG=1 for the stack trace)`,
      );
      return;
    }
    if (!known || process.env.DEBUG) {
      printErrorLine(error.stack ?? error.message);
      return;
    }
    printErrorLine(`Error: ${escapeMessage(error.message)}`);
    if ((error instanceof UsageError || error instanceof PreconditionError) && error.hint) {
      printErrorLine(`Try: ${escapeMessage(error.hint)}`);
    }
  }

  public override async finally(error: Error | undefined): Promise<void> {
    if (!error && this.resultExitCode !== EXIT.ok) process.exitCode = this.resultExitCode;
    await super.finally(error);
  }
}
