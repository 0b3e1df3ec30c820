// The machine-readable shapes: JSON with a fixed set of keys, and YAML with the same content.
// Every key is always present (null when unknown), in a fixed order, so that consumers
// and diffs of two runs never see keys appear or move.
import yaml from 'js-yaml';
import type {FindingsReport, Summary} from '../../core/analyze/run.js';
import type {Finding} from '../../core/analyze/types.js';

export interface FindingDocument {
  code: string;
  severity: Finding['severity'];
  message: string;
  resource: {apiVersion: string; kind: string; namespace: string | null; name: string} | null;
  file: string | null;
  line: number | null;
  documentation: string | null;
}

export interface FindingsDocument {
  findings: FindingDocument[];
  summary: Summary;
}

export function toDocument(report: FindingsReport): FindingsDocument {
  return {
    findings: report.findings.map((finding) => ({
      code: finding.code,
      severity: finding.severity,
      message: finding.message,
      resource: finding.resource
        ? {apiVersion: finding.resource.apiVersion, kind: finding.resource.kind,
          namespace: finding.resource.namespace ?? null, name: finding.resource.name}
        : null,
      file: finding.file ?? null,
      line: finding.line ?? null,
      documentation: finding.documentation ?? null,
    })),
    summary: {...report.summary},
  };
}

export function renderJson(report: FindingsReport): string {
  return `${JSON.stringify(toDocument(report), null, 2)}\n`;
}

export function renderYaml(report: FindingsReport): string {
  return yaml.dump(toDocument(report), {noRefs: true, lineWidth: -1, sortKeys: false});
}
