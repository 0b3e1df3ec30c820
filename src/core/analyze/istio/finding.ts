// How Istio's analysers describe their messages and report them. Every message links to
// Istio's page for its code; every finding carries the file and line of the object it is
// about when that object came from a file.
import type {Absence, Finding, RuleDoc, Severity} from '../types.js';
import {refOf, type SourcedObject} from '../../objects.js';
import type {FieldPath} from '../../field-line.js';

/** Istio publishes one page per analysis message code. */
export function istioDocumentation(code: string): string {
  return `https://istio.io/latest/docs/reference/config/analysis/${code.toLowerCase()}/`;
}

/** One of Istio's message types: its code and level are Istio's, the words are ours. */
export function istioMessage(code: string, severity: Severity, title: string, description: string,
  fix: string): RuleDoc
{
  return {code, severity, title, description, fix, documentation: istioDocumentation(code)};
}

/** Where istioctl places findings about a whole object that it does not place at its first line. */
export const METADATA_NAME: FieldPath = ['metadata', 'name'];

/** A finding about one object, carrying its file and line when it came from a file, and the field it is about if given. */
export function istioFinding(message: RuleDoc, target: SourcedObject, text: string, field?: FieldPath): Finding {
  const finding: Finding = {code: message.code, severity: message.severity, message: text,
    resource: refOf(target.object), documentation: message.documentation};
  if (field) finding.field = field;
  if (target.source) {
    finding.file = target.source.file;
    finding.line = target.source.line;
  }
  return finding;
}

/** The finding, marked as concluding that objects the input may not hold are missing (see ../coverage.ts). */
export function markAbsent(finding: Finding, absent: Absence): Finding {
  return {...finding, absent};
}
