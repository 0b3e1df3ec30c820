// `sparc-mesh validate explain CODE`: one code's entry in the catalogue.
import {UsageError} from '../../errors.js';
import {catalogue, findRule, nearMatches} from '../../core/analyze/catalogue.js';
import type {RuleDoc} from '../../core/analyze/types.js';

/** The catalogue entry for a code; an unknown code is a usage error that lists the nearest ones. */
export function explainCode(code: string, rules: readonly RuleDoc[] = catalogue()): RuleDoc {
  const doc = findRule(code, rules);
  if (doc) return doc;
  const near = nearMatches(code, rules);
  throw new UsageError(
    `unknown code ${JSON.stringify(code)}${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''}`,
    'codes look like IST0101 or SM1001; every code validate reports is listed in docs/validate.md',
    'UnknownCode',
  );
}
