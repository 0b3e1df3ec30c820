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

type CheckedRule = Extract<CompiledRule, {kind: 'checked'}>;

/** A failed rule, relative to its node: the fieldPath steps below it, the message, the reason. */
interface Verdict {
  below: string[];
  message: string;
  reason?: string;
}

/** How many scalar values per node keep their verdicts: manifests repeat timeouts, ports and hosts, and a rule's answer for a value never changes. */
const REMEMBERED_VALUES = 1024;

interface NodeRules {
  checked: CheckedRule[];
  verdicts: Map<string | number | boolean, Verdict[]>;
}

export class KindRules {
  private readonly nodes = new Map<CelNode, NodeRules>();
  /** Set aside rules of this kind, counted once when the kind is compiled. */
  readonly notChecked: NotChecked = new Map();

  constructor(private readonly root: CelNode) {
    this.compileNode(root);
  }

  /** The failures of `object`, with the schema's defaults applied as the API server applies them (the object is not changed). */
  evaluate(object: unknown): CelFailure[] {
    const failures: CelFailure[] = [];
    this.visit(object, this.root, [], failures);
    return failures;
  }

  private compileNode(node: CelNode): void {
    if (node.rules) {
      const rules = node.rules.map((rule) => compileRule(rule, node));
      const checked = rules.filter((rule): rule is CheckedRule => rule.kind === 'checked');
      if (checked.length > 0) this.nodes.set(node, {checked, verdicts: new Map()});
      for (const rule of rules) if (rule.kind === 'unsupported') this.notChecked.set(rule.reason, (this.notChecked.get(rule.reason) ?? 0) + 1);
    }
    for (const child of [...Object.values(node.properties ?? {}), node.items, node.additionalProperties]) if (child) this.compileNode(child);
  }

  private visit(value: unknown, node: CelNode, field: (string | number)[], failures: CelFailure[]): void {
    if (value === null || value === undefined) return;
    const rules = this.nodes.get(node);
    if (rules) {
      for (const verdict of verdictsOf(rules, value, node)) {
        const failure: CelFailure = {field: [...field, ...verdict.below], message: verdict.message};
        if (verdict.reason !== undefined) failure.reason = verdict.reason;
        failures.push(failure);
      }
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
    // The API server defaults before it validates: a default can bring a field, and its rules, into being.
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (child.default !== undefined && !(key in fields)) this.visit(child.default, child, [...field, key], failures);
    }
  }
}

function verdictsOf(rules: NodeRules, value: unknown, node: CelNode): Verdict[] {
  if (typeof value === 'object') return judge(rules.checked, celValueOf(value, node));
  const scalar = value as string | number | boolean;
  let verdicts = rules.verdicts.get(scalar);
  if (verdicts === undefined) {
    verdicts = judge(rules.checked, celValueOf(scalar, node));
    if (rules.verdicts.size < REMEMBERED_VALUES) rules.verdicts.set(scalar, verdicts);
  }
  return verdicts;
}

function judge(rules: readonly CheckedRule[], self: unknown): Verdict[] {
  const verdicts: Verdict[] = [];
  for (const rule of rules) {
    const result = rule.program({self});
    if (result === true) continue;
    if (isCelError(result)) {
      verdicts.push({below: [], message: evaluationError(result, rule.rule)});
      continue;
    }
    const verdict: Verdict = {below: rule.fieldPath, message: messageOf(rule, self)};
    if (rule.rule.reason !== undefined) verdict.reason = rule.rule.reason;
    verdicts.push(verdict);
  }
  return verdicts;
}

/** validation.go: the evaluated messageExpression when it gives a non-empty line, else the message, else the rule. */
function messageOf(rule: CheckedRule, self: unknown): string {
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
