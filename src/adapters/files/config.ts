// Finds and reads sparc-mesh.yaml: --config, else ./sparc-mesh.yaml when present.
import {existsSync} from 'node:fs';
import {resolve} from 'node:path';
import {invalidFile, UsageError} from '../../errors.js';
import {flowDepthProblem} from '../../core/input-limits.js';
import {readTextWithin} from './limited-read.js';
import type {ConfigDocument} from '../../core/config/config-file.js';

export const DEFAULT_CONFIG_FILE = 'sparc-mesh.yaml';

export interface LoadedConfig {
  file: string;
  document: ConfigDocument;
}

export async function loadConfig(explicit: string | undefined, cwd = process.cwd()): Promise<LoadedConfig | undefined> {
  const file = explicit ?? resolve(cwd, DEFAULT_CONFIG_FILE);
  if (!explicit && !existsSync(file)) return undefined;
  let text: string;
  try {
    text = readTextWithin(file);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(
      `--config: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      'check the path',
      'InvalidFlag',
    );
  }
  const tooDeep = flowDepthProblem(text);
  if (tooDeep) throw invalidFile(file, `is not read: it ${tooDeep}`);
  // The YAML parser that keeps lines loads only when there is a file to read (a bundle of its own).
  const {isSyntaxError, parseConfigText} = await import('../../core/config/config-file.js');
  let parsed;
  try {
    parsed = parseConfigText(text);
  } catch (error) {
    // The yaml package refuses aliases that expand too far by throwing, not with a syntax error.
    if (error instanceof ReferenceError) {
      throw invalidFile(file, `is not read: ${error.message}`, undefined,
        'write the values out instead of YAML aliases');
    }
    throw error;
  }
  if (isSyntaxError(parsed)) throw invalidFile(file, `YAML syntax error: ${parsed.message}`, parsed.line);
  return {file, document: parsed};
}
