// The human view: findings grouped by file, then by resource, one line each, with a
// summary line. Colour only when the caller says so (stdout is a TTY and NO_COLOR unset).
import {Chalk, type ChalkInstance} from 'chalk';
import type {FindingsReport, Summary} from '../../core/analyze/run.js';
import type {Finding, Severity} from '../../core/analyze/types.js';
import {displayName} from '../../core/objects.js';
import {escapeControl} from '../../core/terminal-text.js';
import type {AnalysedResource} from './junit.js';

export interface TableOptions {
  color: boolean;
  /** Where each analysed object starts, so that a resource's heading shows its own line, not its first finding's. */
  resources?: readonly AnalysedResource[];
}

/** Objects from the live cluster, and namespaces that no file declares, have no file. */
const NO_FILE = '(no file)';
const NO_RESOURCE = '(file)';

function paintSeverity(chalk: ChalkInstance, severity: Severity): string {
  const label = severity.padEnd(7);
  if (severity === 'error') return chalk.red(label);
  if (severity === 'warning') return chalk.yellow(label);
  return chalk.cyan(label);
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

export function summaryLine(summary: Summary): string {
  const counts = `${plural(summary.error, 'error')}, ${plural(summary.warning, 'warning')}, ${summary.info} info`;
  const suppressed = summary.suppressed > 0 ? ` (${summary.suppressed} suppressed)` : '';
  const from = summary.files > 0 ? ` from ${plural(summary.files, 'file')}` : '';
  return `${counts}${suppressed} in ${plural(summary.objects, 'object')}${from}`;
}

export function renderTable(report: FindingsReport, options: TableOptions): string {
  const chalk = new Chalk({level: options.color ? 1 : 0});
  const lines: string[] = [];
  const objectLines = new Map(
    (options.resources ?? []).flatMap((
      {resource, file, line},
    ) => (file !== undefined && line !== undefined ? [[`${file}\u0000${displayName(resource)}`, line] as const] : [])),
  );
  // The findings are already sorted by file and line, so groups come out in that order.
  for (const [file, inFile] of groupBy(report.findings, (finding) => finding.file ?? NO_FILE)) {
    lines.push(chalk.bold(escapeControl(file)));
    for (const [resource, findings] of groupBy(inFile,
      (finding) => (finding.resource ? displayName(finding.resource) : NO_RESOURCE)))
    {
      const line = objectLines.get(`${file}\u0000${resource}`) ?? findings[0]?.line;
      lines.push(`  ${escapeControl(resource)}${line === undefined ? '' : chalk.dim(`  line ${line}`)}`);
      for (const finding of findings) lines.push(`    ${findingLine(chalk, finding, line)}`);
    }
    lines.push('');
  }
  if (report.findings.length === 0) lines.push(chalk.green(`✔ No problems found: ${summaryLine(report.summary)}`));
  else {
    lines.push(summaryLine(report.summary));
    lines.push(chalk.dim('Run `sparc-mesh validate explain CODE` for what a code means and how to fix it.'));
  }
  return `${lines.join('\n')}\n`;
}

/** A finding's own line is shown only when it differs from its group's: a field's line, or one of several syntax errors in a file. */
function findingLine(chalk: ChalkInstance, finding: Finding, groupLine: number | undefined): string {
  const where = finding.line !== undefined && finding.line !== groupLine ? chalk.dim(` (line ${finding.line})`) : '';
  return `${paintSeverity(chalk, finding.severity)} ${chalk.bold(escapeControl(finding.code).padEnd(7))} ${
    escapeControl(finding.message)
  }${where}`;
}
