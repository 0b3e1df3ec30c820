// The IST catalogue against Istio's own message catalogue (../shared/.../messages.yaml, read
// in place): every code an analyser declares is documented, at the level Istio gives it.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
import * as istioMessages from '../../src/core/analyze/istio/messages.js';
import {istioAnalyzers} from '../../src/core/analyze/istio/index.js';

const istioCatalogue = Object.values(istioMessages);
const MESSAGES = path.resolve(import.meta.dirname, '../../../shared/conformance/istio-analyzers/messages.yaml');
const LEVELS: Record<string, string> = {Error: 'error', Warning: 'warning', Info: 'info'};

function istioLevels(): Map<string, string> {
  const document = yaml.load(readFileSync(MESSAGES, 'utf8')) as {messages: Array<{code: string; level: string}>};
  return new Map(document.messages.map((message) => [message.code, LEVELS[message.level] ?? message.level]));
}

describe('Istio catalogue', () => {
  it('documents every code the analysers declare', () => {
    const documented = new Set(istioCatalogue.map((doc) => doc.code));
    const declared = [...new Set(istioAnalyzers.flatMap((analyzer) => analyzer.codes.map(({code}) => code)))];
    expect(declared.filter((code) => !documented.has(code))).toEqual([]);
  });

  it('defines each code once', () => {
    const codes = istioCatalogue.map((doc) => doc.code);
    expect(codes.filter((code, index) => codes.indexOf(code) !== index)).toEqual([]);
  });

  it('gives each IST code the level Istio gives it', () => {
    const levels = istioLevels();
    const wrong = istioCatalogue.filter((doc) => levels.get(doc.code) !== doc.severity).map((doc) =>
      `${doc.code}: ${doc.severity}, Istio ${levels.get(doc.code) ?? 'unknown'}`
    );
    expect(wrong).toEqual([]);
  });
});
