// Analysers written inside tests: only a name and what they report matter there.
import type {Analyzer} from '../../src/core/analyze/types.js';

export function testAnalyzer<Context>(name: string, analyze: Analyzer<Context>['analyze']): Analyzer<Context> {
  return {name, description: `test analyser ${name}`, inputs: [], codes: [], analyze};
}
