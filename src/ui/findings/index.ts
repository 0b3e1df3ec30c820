// One entry point for every findings format, so commands pick a printer by `-o` value.
import type {FindingsReport} from '../../core/analyze/run.js';
import type {DiagramOptions} from '../../core/analyze/reachability/index.js';
import {renderJson, renderYaml} from './json.js';
import {renderJunit, type JunitOptions} from './junit.js';
import {renderSarif, type SarifOptions} from './sarif.js';
import {renderTable, type TableOptions} from './table.js';

export const FINDINGS_FORMATS = ['table', 'json', 'yaml', 'sarif', 'junit'] as const;
export type FindingsFormat = (typeof FINDINGS_FORMATS)[number];

/** What every printer of validate's output may need: findings in each format, and the reachability diagrams. */
export type PrintOptions = TableOptions & SarifOptions & JunitOptions & DiagramOptions;

export function renderFindings(format: FindingsFormat, report: FindingsReport, options: PrintOptions): string {
  switch (format) {
    case 'table':
      return renderTable(report, options);
    case 'json':
      return renderJson(report);
    case 'yaml':
      return renderYaml(report);
    case 'sarif':
      return renderSarif(report, options);
    case 'junit':
      return renderJunit(report, options);
  }
}

export type {AnalysedResource} from './junit.js';
