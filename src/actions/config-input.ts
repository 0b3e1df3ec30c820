// Gathers the platform config from sparc-mesh.yaml and turns its issues into one
// user error that names, for each problem, the flag or the file and line it came from.
import {UsageError} from '../errors.js';
import {loadConfig, type LoadedConfig} from '../adapters/files/config.js';
import {DEFAULT_PLATFORM, readPlatform} from '../core/config/platform.js';
import type {SpecIssue} from '../core/config/reader.js';
import type {PlatformSpec} from '../core/config/types.js';

export interface PlatformInput {
  platform: PlatformSpec;
  config?: LoadedConfig;
}

/** Where an issue's value came from: an input field (named as the caller names it, e.g. `--port`), or a path inside the config file. */
export type IssueOrigin = {input: string} | {configPath: string};

export function describeIssue(issue: SpecIssue, origin: IssueOrigin, config: LoadedConfig | undefined): string {
  if ('input' in origin) return `${origin.input}: ${issue.message}`;
  const line = config?.document.lineOf(origin.configPath);
  const where = config ? `${config.file}${line === undefined ? '' : `:${line}`}` : 'config';
  return `${where}: ${origin.configPath}: ${issue.message}`;
}

export function failOnIssues(messages: string[], hint?: string): void {
  if (messages.length === 0) return;
  const body = messages.length === 1 ? messages[0]! : `${messages.length} problems:\n  ${messages.join('\n  ')}`;
  throw new UsageError(body, hint, 'InvalidInput');
}

export async function loadPlatform(configFlag: string | undefined): Promise<PlatformInput> {
  const config = await loadConfig(configFlag);
  if (!config) return {platform: structuredClone(DEFAULT_PLATFORM)};
  const issues: SpecIssue[] = [];
  const platform = readPlatform(config.document.data, issues);
  failOnIssues(issues.map((issue) => describeIssue(issue, {configPath: issue.path}, config)),
    'fix the config file and run the command again');
  return {platform, config};
}
