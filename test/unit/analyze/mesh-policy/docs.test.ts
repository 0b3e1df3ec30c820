import {existsSync, readFileSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {smCatalogue} from '../../../../src/core/analyze/mesh-policy/index.js';
import {rulesMarkdown} from '../../../../src/core/analyze/mesh-policy/markdown.js';
import {debugRules} from '../../../../src/core/debug/rules.js';

const page = fileURLToPath(new URL('../../../../docs/rules.md', import.meta.url));

describe('the rule catalogue', () => {
  it('has unique SM codes in the ranges of their areas, each with a link to its anchor', () => {
    const codes = [...smCatalogue, ...debugRules].map((rule) => rule.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [rules, range] of [[smCatalogue, /^SM[1-4]\d{3}$/], [debugRules, /^SM5\d{3}$/]] as const) {
      for (const rule of rules) expect(rule.code).toMatch(range);
    }
    for (const rule of [...smCatalogue, ...debugRules]) {
      expect(rule.documentation).toBe(
        `https://github.com/sparc-platform/sparc-mesh/blob/main/docs/rules.md#${rule.code.toLowerCase()}`,
      );
      expect(rule.fix.length).toBeGreaterThan(20);
    }
  });

  it('matches docs/rules.md (UPDATE_GOLDEN=1 rewrites it)', () => {
    const rendered = rulesMarkdown([...smCatalogue, ...debugRules]);
    if (process.env.UPDATE_GOLDEN === '1' || !existsSync(page)) writeFileSync(page, rendered);
    expect(readFileSync(page, 'utf8')).toBe(rendered);
    for (const rule of [...smCatalogue, ...debugRules]) {
      expect(rendered).toContain(`<a id="${rule.code.toLowerCase()}"></a>`);
    }
  });
});
