import {Args} from '@oclif/core';
import {BaseCommand} from '../../base/command.js';
import {explainCode} from '../../actions/validate/explain.js';
import type {RuleDoc} from '../../core/analyze/types.js';

export default class ValidateExplain extends BaseCommand {
  static override summary = 'Explain a finding code: what it means and how to fix it';
  static override examples = ['<%= config.bin %> validate explain IST0101',
    '<%= config.bin %> validate explain SM0003'];

  static override args = {
    code: Args.string({description: 'A code from validate output, e.g. IST0101 or SM1001.', required: true}),
  };

  public async run(): Promise<RuleDoc> {
    const {args} = await this.parse(ValidateExplain);
    const doc = explainCode(args.code);
    this.log([
      `${doc.code} (${doc.severity}): ${doc.title}`,
      '',
      doc.description,
      '',
      'How to fix:',
      doc.fix.split('\n').map((line) => `  ${line}`).join('\n'),
      '',
      `Documentation: ${doc.documentation}`,
    ].join('\n'));
    return doc;
  }
}
