// Every CEL rule of a kind against one object, as the API server's CEL validator walks it
// (k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go): a node's rules
// with `self` bound to the value there, then each present field, list item and map value;
// nothing under an absent field runs. A failure is reported where the server reports it
// (the node, or the rule's fieldPath below it) with the message the server prints.
import {isCelError, type CelResult} from '@bufbuild/cel';
import {compileRule, type CompiledRule} from './compile.js';
import {celValueOf} from './values.js';
import type {CelNode, CelRule} from './types.js';

export interface CelFailure {
  /** Keys and list positions from the object's root to the reported field. */
  field: (string | number)[];
  message: string;
  /** The rule's `reason`; absent means FieldValueInvalid. */
  reason?: string;
}

/** Rules this run could not check, by the reason (a function not supported, a typed format). */
export type NotChecked = Map<string, number>;

export class KindRules {
  private readonly compiled = new Map<CelNode, CompiledRule[]>();
  /** Set aside rules of this kind, counted once when the kind is compiled. */
  readonly notChecked: NotChecked = new Map();

  constructor(private readonly root: CelNode) {
    this.compileNode(root);
  }

  /** The failures of `object` (defaults and CEL types applied here; the object is not changed). */
  evaluate(object: unknown): CelFailure[] {
    const failures: CelFailure[] = [];
    this.visit(celValueOf(object, this.root), this.root, [], failures);
    return failures;
  }

  private compileNode(node: CelNode): void {
    if (node.rules) {
      const rules = node.rules.map((rule) => compileRule(rule, node));
      this.compiled.set(node, rules);
      for (const rule of rules) if (rule.kind === 'unsupported') this.notChecked.set(rule.reason, (this.notChecked.get(rule.reason) ?? 0) + 1);
    }
    for (const child of [...Object.values(node.properties ?? {}), node.items, node.additionalProperties]) if (child) this.compileNode(child);
  }

  private visit(value: unknown, node: CelNode, field: (string | number)[], failures: CelFailure[]): void {
    if (value === null || value === undefined) return;
    for (const rule of this.compiled.get(node) ?? []) {
      if (rule.kind !== 'checked') continue;
      const failure = failureOf(rule, value, field);
      if (failure) failures.push(failure);
    }
    if (Array.isArray(value)) {
      if (node.items) value.forEach((item, i) => this.visit(item, node.items!, [...field, i], failures));
      return;
    }
    if (typeof value !== 'object') return;
    const fields = value as Record<string, unknown>;
    for (const key of Object.keys(fields)) {
      const child = node.properties?.[key] ?? node.additionalProperties;
      if (child) this.visit(fields[key], child, [...field, key], failures);
    }
  }
}

function failureOf(rule: Extract<CompiledRule, {kind: 'checked'}>, self: unknown, field: (string | number)[]): CelFailure | undefined {
  const result = rule.program({self});
  if (result === true) return undefined;
  if (isCelError(result)) return {field, message: evaluationError(result, rule.rule)};
  const failure: CelFailure = {field: [...field, ...rule.fieldPath], message: messageOf(rule, self)};
  if (rule.rule.reason !== undefined) failure.reason = rule.rule.reason;
  return failure;
}

/** validation.go: the evaluated messageExpression when it gives a non-empty line, else the message, else the rule. */
function messageOf(rule: Extract<CompiledRule, {kind: 'checked'}>, self: unknown): string {
  if (rule.messageProgram) {
    const message: CelResult = rule.messageProgram({self});
    if (typeof message === 'string' && message.trim() !== '' && !message.includes('\n')) return message.trim();
  }
  return ruleMessage(rule.rule);
}

function ruleMessage(rule: CelRule): string {
  return rule.message?.trim() ? rule.message.trim() : `failed rule: ${rule.rule.trim()}`;
}

/** The server's wording for a rule that failed to evaluate (a missing field, a bad argument). */
function evaluationError(error: Error, rule: CelRule): string {
  const ruleText = rule.message?.trim() ? rule.message.trim() : rule.rule.trim();
  return `${error.message.replace(/^field not found: /, 'no such key: ')} evaluating rule: ${ruleText}`;
}
