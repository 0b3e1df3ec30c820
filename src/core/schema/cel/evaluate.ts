// Every CEL rule of a kind against one object, as the API server's CEL validator walks it
// (k8s.io/apiextensions-apiserver pkg/apiserver/schema/cel/validation.go): a node's rules
// with `self` bound to the value there, then each present field, list item and map value;
// nothing under an absent field runs. A failure is reported where the server reports it
// (the node, or the rule's fieldPath below it) with the message the server prints.
//
// Rules compiled to JavaScript run without the CEL evaluator; the first rule that needs it
// (not compiled, a value the JavaScript leaves to CEL, a messageExpression to word a failure)
// stops the walk with CelEvaluatorNeeded, and the caller loads the evaluator and walks the
// object again: what was remembered before the stop are whole verdicts, so nothing is lost.
import type {CelInput, CelResult} from '@bufbuild/cel';
import type {RuleHandling, SelfView} from './classify.js';
import type {CelEvaluator, Program} from './compile.js';
import {Bail, fastRuntime} from './fast-runtime.js';
import {viewKey} from './views.js';
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

/** A checked rule, its programs (planned on first use) and its verdicts by the part of `self` it reads (null: passed). */
interface CheckedRule {
  rule: CelRule;
  fieldPath: string[];
  view: SelfView;
  program: Program;
  messageProgram?: Program;
  remembered: Map<string, Verdict | null>;
}

let evaluator: CelEvaluator | undefined;

/** Thrown by a walk that needs the CEL evaluator before it is loaded: load it, hand it to useCelEvaluator, walk again. */
export class CelEvaluatorNeeded extends Error {}

export function useCelEvaluator(loaded: CelEvaluator): void {
  evaluator = loaded;
}

function celEvaluator(): CelEvaluator {
  if (!evaluator) throw new CelEvaluatorNeeded('a CEL rule needs the CEL evaluator, which is not loaded yet');
  return evaluator;
}

/** `handling` as the generator stored it, or as the evaluator decides it for a rule tree built elsewhere. */
function checkedRule(rule: CelRule, handling: Extract<RuleHandling, {kind: 'checked'}>): CheckedRule {
  let parsed = rule.parsed;
  const expressions = () => {
    parsed ??= celEvaluator().parseRule(rule);
    if ('error' in parsed) throw new Error(`a checked rule does not parse: ${parsed.error}`);
    return parsed;
  };
  let program: Program | undefined;
  let messageProgram: Program | undefined;
  const checked: CheckedRule = {rule, fieldPath: handling.fieldPath, view: handling.view, remembered: new Map(),
    program: (bindings) => (program ??= celEvaluator().programOf(expressions().expr))(bindings)};
  if (rule.messageExpression !== undefined) {
    checked.messageProgram = (bindings) =>
      (messageProgram ??= celEvaluator().programOf(expressions().messageExpr!))(bindings);
  }
  return checked;
}

/** A failed rule, relative to its node: the fieldPath steps below it, the message, the reason. */
interface Verdict {
  below: string[];
  message: string;
  reason?: string;
}

/**
 * How many distinct values a node (scalars) or a rule (the part of an object it reads) keeps
 * verdicts for: manifests repeat timeouts, ports, selectors and field combinations, and a
 * rule's answer for the same input never changes.
 */
const REMEMBERED_VALUES = 1024;

/** A node of the rule tree as evaluation walks it: only nodes with checked rules at or below them. */
interface NodePlan {
  node: CelNode;
  checked: CheckedRule[];
  verdicts: Map<string | number | boolean, Verdict[]>;
  properties: Map<string, NodePlan>;
  items?: NodePlan;
  additionalProperties?: NodePlan;
  /** Properties with a default: the API server defaults before it validates, so a default can bring a field, and its rules, into being. */
  defaulted: [key: string, plan: NodePlan][];
}

export class KindRules {
  private readonly root: NodePlan | undefined;
  /** Set aside rules of this kind, counted once when the kind is compiled. */
  readonly notChecked: NotChecked = new Map();

  constructor(root: CelNode) {
    this.root = this.planOf(root);
  }

  /** The failures of `object`, with the schema's defaults applied as the API server applies them (the object is not changed). */
  evaluate(object: unknown): CelFailure[] {
    const failures: CelFailure[] = [];
    if (this.root) visit(object, this.root, [], failures);
    return failures;
  }

  private planOf(node: CelNode): NodePlan | undefined {
    const plan: NodePlan = {node, checked: [], verdicts: new Map(), properties: new Map(), defaulted: []};
    for (const rule of node.rules ?? []) {
      const handling = rule.handling ?? celEvaluator().ruleHandling(rule, node);
      if (handling.kind === 'checked') plan.checked.push(checkedRule(rule, handling));
      if (handling.kind === 'unsupported') {
        this.notChecked.set(handling.reason, (this.notChecked.get(handling.reason) ?? 0) + 1);
      }
    }
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      const childPlan = this.planOf(child);
      if (!childPlan) continue;
      plan.properties.set(key, childPlan);
      if (child.default !== undefined) plan.defaulted.push([key, childPlan]);
    }
    if (node.items) plan.items = this.planOf(node.items);
    if (node.additionalProperties) plan.additionalProperties = this.planOf(node.additionalProperties);
    const needed = plan.checked.length > 0 || plan.properties.size > 0 || plan.items !== undefined
      || plan.additionalProperties !== undefined;
    return needed ? plan : undefined;
  }
}

/** `field` is the path so far, pushed and popped on the way down; a failure copies it. */
function visit(value: unknown, plan: NodePlan, field: (string | number)[], failures: CelFailure[]): void {
  if (value === null || value === undefined) return;
  if (plan.checked.length > 0) {
    for (const verdict of verdictsOf(plan, value)) {
      const failure: CelFailure = {field: [...field, ...verdict.below], message: verdict.message};
      if (verdict.reason !== undefined) failure.reason = verdict.reason;
      failures.push(failure);
    }
  }
  if (Array.isArray(value)) {
    if (!plan.items) return;
    for (let i = 0; i < value.length; i++) {
      field.push(i);
      visit(value[i], plan.items, field, failures);
      field.pop();
    }
    return;
  }
  if (typeof value !== 'object') return;
  const fields = value as Record<string, unknown>;
  if (plan.properties.size > 0 || plan.additionalProperties) {
    // for-in, not keys: this walks every object a rule reaches, and an array of keys per node adds up.
    for (const key in fields) {
      const child = plan.properties.get(key) ?? (plan.node.properties?.[key] ? undefined : plan.additionalProperties);
      if (!child) continue;
      field.push(key);
      visit(fields[key], child, field, failures);
      field.pop();
    }
  }
  for (const [key, child] of plan.defaulted) {
    if (key in fields) continue;
    field.push(key);
    visit(child.node.default, child, field, failures);
    field.pop();
  }
}

function verdictsOf(plan: NodePlan, value: unknown): Verdict[] {
  if (typeof value === 'object') return objectVerdicts(plan, value as Record<string, unknown>);
  const scalar = value as string | number | boolean;
  let verdicts = plan.verdicts.get(scalar);
  if (verdicts === undefined) {
    const self = new SelfValue(scalar, plan.node);
    verdicts = plan.checked.map((rule) => judge(rule, self)).filter((verdict) => verdict !== undefined);
    if (plan.verdicts.size < REMEMBERED_VALUES) plan.verdicts.set(scalar, verdicts);
  }
  return verdicts;
}

/** Each rule judged once per distinct view of `self` it reads (see SelfView). */
function objectVerdicts(plan: NodePlan, value: Record<string, unknown>): Verdict[] {
  const self = new SelfValue(value, plan.node);
  const verdicts: Verdict[] = [];
  for (const rule of plan.checked) {
    const key = viewKey(rule.view, value, plan.node);
    let verdict = key === undefined ? undefined : rule.remembered.get(key);
    if (verdict === undefined) {
      verdict = judge(rule, self) ?? null;
      if (key !== undefined && rule.remembered.size < REMEMBERED_VALUES) rule.remembered.set(key, verdict);
    }
    if (verdict !== null) verdicts.push(verdict);
  }
  return verdicts;
}

/** `self` as the object holds it, and as @bufbuild/cel takes it: converted once, and only for a rule that is not compiled to JavaScript. */
class SelfValue {
  private converted: CelInput | undefined;

  constructor(readonly plain: unknown, private readonly node: CelNode) {}

  get cel(): CelInput {
    return this.converted ??= celEvaluator().valueOf(this.plain, this.node);
  }
}

function judge(rule: CheckedRule, self: SelfValue): Verdict | undefined {
  const result = fastResult(rule, self.plain) ?? rule.program({self: self.cel});
  if (result === true) return undefined;
  // Only the evaluator gives anything but a boolean, so it is loaded whenever this asks it.
  if (result !== false && celEvaluator().isCelError(result)) {
    return {below: [], message: evaluationError(result, rule.rule)};
  }
  const verdict: Verdict = {below: rule.fieldPath, message: messageOf(rule, self)};
  if (rule.rule.reason !== undefined) verdict.reason = rule.rule.reason;
  return verdict;
}

/** The compiled rule's verdict, or undefined when the rule has none or leaves this value to @bufbuild/cel. */
function fastResult(rule: CheckedRule, self: unknown): boolean | undefined {
  if (!rule.rule.fast) return undefined;
  try {
    return rule.rule.fast(self, fastRuntime);
  } catch (error) {
    if (error instanceof Bail) return undefined;
    throw error;
  }
}

/** validation.go: the evaluated messageExpression when it gives a non-empty line, else the message, else the rule. */
function messageOf(rule: CheckedRule, self: SelfValue): string {
  if (rule.messageProgram) {
    const message: CelResult = rule.messageProgram({self: self.cel});
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
