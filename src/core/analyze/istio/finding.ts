import type {Finding, Severity} from '../types.js';
import {refOf, type SourcedObject} from '../../objects.js';
import type {FieldPath} from '../../field-line.js';

/** Istio publishes one page per analysis message code. */
export function istioDocumentation(code: string): string {
  return `https://istio.io/latest/docs/reference/config/analysis/${code.toLowerCase()}/`;
}

/** Where istioctl places findings about a whole object that it does not place at its first line. */
export const METADATA_NAME: FieldPath = ['metadata', 'name'];

/** A finding about one object, carrying its file and line when it came from a file, and the field it is about if given. */
export function istioFinding(code: string, severity: Severity, target: SourcedObject, message: string, field?: FieldPath): Finding {
  const finding: Finding = {code, severity, message, resource: refOf(target.object), documentation: istioDocumentation(code)};
  if (field) finding.field = field;
  if (target.source) {
    finding.file = target.source.file;
    finding.line = target.source.line;
  }
  return finding;
}
