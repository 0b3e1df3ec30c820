import type {Finding, Severity} from '../types.js';
import {refOf, type SourcedObject} from '../../objects.js';

/** Istio publishes one page per analysis message code. */
export function istioDocumentation(code: string): string {
  return `https://istio.io/latest/docs/reference/config/analysis/${code.toLowerCase()}/`;
}

/** A finding about one object, carrying its file and line when it came from a file. */
export function istioFinding(code: string, severity: Severity, target: SourcedObject, message: string): Finding {
  const finding: Finding = {code, severity, message, resource: refOf(target.object), documentation: istioDocumentation(code)};
  if (target.source) {
    finding.file = target.source.file;
    finding.line = target.source.line;
  }
  return finding;
}
