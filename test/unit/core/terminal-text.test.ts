import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {cutValue, escapeControl, escapeMessage} from '../../../src/core/terminal-text.js';

// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\0-\x09\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]/;

describe('escapeControl', () => {
  it('shows ESC, BEL, CR, newline and bidirectional overrides as escapes', () => {
    expect(escapeControl('web\u001B[31mred\u0007\r\n::error::x\u202Egnp')).toBe(
      'web\\e[31mred\\x07\\r\\n::error::x\\u202egnp',
    );
  });

  it('leaves ordinary text, accents and emoji alone', () => {
    expect(escapeControl('café-🚀 "quoted" \\path')).toBe('café-🚀 "quoted" \\path');
  });

  it('never lets a control character or a line break through, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({unit: 'binary'}),
        (text) => !RAW_CONTROL.test(escapeControl(text)) && !escapeControl(text).includes('\n')),
    );
  });
});

describe('escapeMessage', () => {
  it('keeps the lines of a message but starts none of them with input', () => {
    expect(escapeMessage('bad value\n::error::owned\u001B')).toBe('bad value\n  ::error::owned\\e');
  });

  it('starts no line with anything but the message start or indentation', () => {
    fc.assert(fc.property(fc.string({unit: 'binary'}), (text) => {
      const escaped = escapeMessage(`Error: ${text}`);
      return !RAW_CONTROL.test(escaped) && escaped.split('\n').slice(1).every((line) => line.startsWith('  '));
    }));
  });
});

describe('cutValue', () => {
  it('cuts long values and says how long they were', () => {
    expect(cutValue('x'.repeat(130_000))).toBe(`${'x'.repeat(200)}… (130000 characters)`);
    expect(cutValue('short')).toBe('short');
  });
});
