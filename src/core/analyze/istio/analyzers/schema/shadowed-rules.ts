// VirtualService rules that can never match: a rule whose every match an earlier rule
// already takes (IST0130), and single matches that repeat or fall inside an earlier one
// (IST0131). Istio reports these from its schema validation of VirtualServices.
import type {SourcedObject} from '../../../../objects.js';
import type {Finding} from '../../../types.js';
import type {IstioAnalyzer} from '../../context.js';
import {asArray, asRecord, asString, at, specOf} from '../../query/fields.js';
import {istioFinding} from '../../finding.js';
import {virtualServices} from '../../query/virtualservice-routes.js';
import * as msg from '../../messages.js';
import {kinds} from '../../../inputs.js';
import {NETWORKING_GROUP} from '../../query/lookup.js';

/** JSON with sorted keys, so that two matches written in a different key order compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const record = asRecord(value);
  if (!record) return JSON.stringify(value) ?? 'null';
  return `{${Object.keys(record).sort().map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(',')}}`;
}

/** A match's conditions; its `name` is a label, not a condition. */
function conditions(match: unknown): Record<string, unknown> {
  const {name: _name, ...rest} = asRecord(match) ?? {};
  return rest;
}

function ruleLabel(rule: unknown, index: number): string {
  return asString(at(rule, 'name')) ?? String(index);
}

function matchLabel(match: unknown, index: number): string {
  return asString(at(match, 'name')) ?? String(index);
}

/**
 * An HTTP match whose URI prefix extends an earlier match's prefix, where the earlier match
 * asks for nothing else that this one does not also ask for, is shadowed by it.
 */
function shadows(earlier: Record<string, unknown>, later: Record<string, unknown>): boolean {
  const earlierPrefix = asString(at(earlier, 'uri', 'prefix'));
  const laterPrefix = asString(at(later, 'uri', 'prefix'));
  if (earlierPrefix === undefined || laterPrefix === undefined || !laterPrefix.startsWith(earlierPrefix)) return false;
  return Object.entries(earlier).every(([key, value]) => key === 'uri' || canonical(later[key]) === canonical(value));
}

interface Seen {
  conditions: Record<string, unknown>;
  rule: string;
}

function analyzeRules(vs: SourcedObject, section: string, detectShadowing: boolean): Finding[] {
  const findings: Finding[] = [];
  const seen = new Map<string, Seen>();
  let catchAllSeen = false;
  asArray(specOf(vs.object)[section]).forEach((rule, ruleIndex) => {
    const label = ruleLabel(rule, ruleIndex);
    const matches = asArray(at(rule, 'match'));
    if (matches.length === 0) {
      if (catchAllSeen) {
        findings.push(
          istioFinding(msg.VirtualServiceUnreachableRule, vs,
            `${section} rule ${label} is never used: an earlier rule without matches already takes all traffic.`),
        );
      }
      catchAllSeen = true;
      return;
    }
    let repeated = 0;
    matches.forEach((match, matchIndex) => {
      const own = conditions(match);
      const key = canonical(own);
      const duplicate = seen.get(key);
      const shadow = duplicate || !detectShadowing
        ? undefined
        : [...seen.values()].find((candidate) => shadows(candidate.conditions, own));
      if (duplicate) repeated++;
      const previous = duplicate ?? shadow;
      if (previous) {
        findings.push(
          istioFinding(msg.VirtualServiceIneffectiveMatch, vs,
            `${section} rule ${label} match ${
              matchLabel(match, matchIndex)
            } is never used: rule ${previous.rule} matches the same requests first.`),
        );
      }
      if (!duplicate) seen.set(key, {conditions: own, rule: label});
    });
    if (repeated === matches.length) {
      findings.push(
        istioFinding(msg.VirtualServiceUnreachableRule, vs,
          `${section} rule ${label} is never used: earlier rules take all of its matches.`),
      );
    }
  });
  return findings;
}

export const shadowedRulesAnalyzer: IstioAnalyzer = {
  name: 'schema.CollectionValidationAnalyzer(VirtualService)',
  description: 'VirtualService rules and matches that earlier ones shadow, so they never apply.',
  inputs: [...kinds(NETWORKING_GROUP, 'VirtualService')],
  codes: [msg.VirtualServiceUnreachableRule, msg.VirtualServiceIneffectiveMatch],
  analyze(ctx) {
    return virtualServices(ctx).flatMap((vs) => [
      ...analyzeRules(vs, 'http', true),
      ...analyzeRules(vs, 'tcp', false),
      ...analyzeRules(vs, 'tls', false),
    ]);
  },
};
