// How SM rules describe themselves and report: every code has one RuleDoc whose
// documentation link is the code's anchor in docs/rules.md, and every finding carries
// the file and line of the object it is about when that object came from a file.
import {refOf, type ResourceRef, type SourcedObject} from '../../objects.js';
import type {Finding, RuleDoc, Severity} from '../types.js';
import type {FieldPath} from '../../field-line.js';
import type {NamespaceInfo} from './inventory.js';
import {ANY_KIND} from '../coverage.js';

const RULES_PAGE = 'https://github.com/sparc-platform/sparc-mesh/blob/main/docs/rules.md';

export function smDocumentation(code: string): string {
  return `${RULES_PAGE}#${code.toLowerCase()}`;
}

export function defineRule(code: string, severity: Severity, title: string, description: string, fix: string): RuleDoc {
  return {code, severity, title, description, fix, documentation: smDocumentation(code)};
}

/** A finding about one object, with its file and line when it came from a file, and the field it is about if given. */
export function smFinding(rule: RuleDoc, target: SourcedObject, message: string, field?: FieldPath): Finding {
  const finding: Finding = {code: rule.code, severity: rule.severity, message, resource: refOf(target.object),
    documentation: rule.documentation};
  if (field) finding.field = field;
  if (target.source) {
    finding.file = target.source.file;
    finding.line = target.source.line;
  }
  return finding;
}

/** A finding about a namespace: points at its Namespace object when the input holds one. */
export function smNamespaceFinding(rule: RuleDoc, namespace: NamespaceInfo, message: string): Finding {
  // A namespace's default is judged missing only where the input holds the namespace's objects.
  const absent = {kind: ANY_KIND, namespace: namespace.name};
  if (namespace.target) return {...smFinding(rule, namespace.target, message), absent};
  const resource: ResourceRef = {apiVersion: 'v1', kind: 'Namespace', name: namespace.name};
  return {code: rule.code, severity: rule.severity, message, resource, documentation: rule.documentation, absent};
}
