// The catalogue: every code sparc-mesh can report, documented in one list: Istio's IST
// codes, our SM1xxx-SM4xxx mesh rules, the SM0xxx input checks, SM0999 for an analyser that
// failed, and `debug pod`'s SM5xxx findings on a running pod (core/debug/rules.ts).
// `validate explain`, SARIF rule metadata and the catalogue test all read this list, so a
// code missing here is caught before release.
import * as istioMessages from './istio/messages.js';
import {smCatalogue} from './mesh-policy/index.js';
import {inputCatalogue} from './schema-findings.js';
import {ANALYSER_FAILURE} from './guard.js';
import {debugRules} from '../debug/rules.js';
import type {RuleDoc} from './types.js';

/** Joins catalogue parts; two docs for one code is a bug in one of them, so it throws. */
export function mergeCatalogues(...parts: readonly (readonly RuleDoc[])[]): RuleDoc[] {
  const byCode = new Map<string, RuleDoc>();
  for (const doc of parts.flat()) {
    if (byCode.has(doc.code)) throw new Error(`rule code ${doc.code} is defined twice in the catalogue`);
    byCode.set(doc.code, doc);
  }
  return [...byCode.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

let merged: readonly RuleDoc[] | undefined;

/** The whole catalogue, merged on first use so that loading this module costs nothing. */
export function catalogue(): readonly RuleDoc[] {
  merged ??= mergeCatalogues(inputCatalogue, [ANALYSER_FAILURE], Object.values(istioMessages), smCatalogue, debugRules);
  return merged;
}

export function findRule(code: string, rules: readonly RuleDoc[] = catalogue()): RuleDoc | undefined {
  const wanted = code.trim().toUpperCase();
  return rules.find((doc) => doc.code.toUpperCase() === wanted);
}

/** Edit distance, for "did you mean" suggestions on a mistyped code. */
function distance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** Codes closest to a mistyped one (at most two edits away), nearest first. */
export function nearMatches(code: string, rules: readonly RuleDoc[] = catalogue(), limit = 5): string[] {
  const wanted = code.trim().toUpperCase();
  return rules
    .map((doc) => ({code: doc.code, score: distance(wanted, doc.code.toUpperCase())}))
    .filter((candidate) => candidate.score <= 2)
    .sort((a, b) => a.score - b.score || (a.code < b.code ? -1 : 1))
    .slice(0, limit)
    .map((candidate) => candidate.code);
}
