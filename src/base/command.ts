// The base every sparc-mesh command extends: one JSON envelope, one mapping from
// errors to exit codes, kubectl-style `--dry-run` spelling, and typed results.
import {Command, Errors} from '@oclif/core';
import type {KubeConnection} from '../adapters/kube/client.js';
import {acrossClusters, type AcrossClusters} from './clusters.js';
import {EXIT, PreconditionError, ToolError, UsageError} from '../errors.js';

export interface ErrorEnvelope {
  status: number;
  name: string;
  message: string;
  hint?: string;
  code?: string;
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

export function errorEnvelope(error: unknown): ErrorEnvelope {
  const err = error instanceof Error ? error : new Error(String(error));
  const envelope: ErrorEnvelope = {status: exitCodeOf(error), name: err.name, message: err.message};
  if (error instanceof UsageError || error instanceof PreconditionError) {
    envelope.code = error.code;
    if (error.hint) envelope.hint = error.hint;
  }
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

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;
  private readonly warnings: string[] = [];
  /** Set by commands whose success still carries a verdict (validate: findings → 3). */
  protected resultExitCode: number = EXIT.ok;

  public override async init(): Promise<void> {
    this.argv = normalizeDryRun(this.argv);
    await super.init();
  }

  protected note(message: string): void {
    this.warnings.push(message);
    this.logToStderr(message);
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
    const known = error instanceof UsageError || error instanceof PreconditionError || error instanceof ToolError || error instanceof Errors.CLIError;
    if (!known && !process.env.DEBUG) {
      process.stderr.write(`Error: ${error.message}\n(unexpected failure: run again with DEBUG=1 for the stack trace)\n`);
      return;
    }
    if (!known || process.env.DEBUG) {
      process.stderr.write(`${error.stack ?? error.message}\n`);
      return;
    }
    process.stderr.write(`Error: ${error.message}\n`);
    if ((error instanceof UsageError || error instanceof PreconditionError) && error.hint) process.stderr.write(`Try: ${error.hint}\n`);
  }

  /**
   * Runs a cluster job on several clusters (see clusters.ts), printing each cluster's
   * progress and final line prefixed with its context; exit code 1 when any failed.
   */
  protected async onClusters<R>(connections: readonly KubeConnection[], work: (connection: KubeConnection, report: (line: string) => void) => Promise<R>,
    summary: (result: R) => string): Promise<AcrossClusters<R, ErrorEnvelope>> {
    const json = this.jsonEnabled();
    const outcome = await acrossClusters(connections, work, (context, line) => json || this.log(`[${context}] ${line}`), errorEnvelope);
    for (const cluster of outcome.clusters) {
      if (!json) this.log(`[${cluster.context}] ${cluster.ok ? summary(cluster.result as R) : `failed: ${cluster.error?.message}`}`);
    }
    if (outcome.clusters.some((cluster) => !cluster.ok)) this.resultExitCode = EXIT.failure;
    return outcome;
  }

  public override async finally(error: Error | undefined): Promise<void> {
    if (!error && this.resultExitCode !== EXIT.ok) process.exitCode = this.resultExitCode;
    await super.finally(error);
  }
}
