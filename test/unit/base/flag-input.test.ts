import {describe, expect, it} from 'vitest';
import {durationFlag, singleConnection} from '../../../src/base/flag-input.js';
import {UsageError} from '../../../src/errors.js';

describe('cluster flags', () => {
  it('reads Go-style durations and refuses anything else, naming the flag', () => {
    expect(durationFlag('5m', 'wait-timeout')).toBe(300_000);
    expect(durationFlag('1h30m', 'wait-timeout')).toBe(5_400_000);
    expect(durationFlag('250ms', 'wait-timeout')).toBe(250);
    expect(() => durationFlag('5 minutes', 'wait-timeout')).toThrow(/--wait-timeout: "5 minutes" is not a duration/);
    expect(() => durationFlag('', 'wait-timeout')).toThrow(UsageError);
  });

  it('takes one context and refuses several for a job that acts on one cluster', () => {
    expect(singleConnection({kubeconfig: 'k', context: ['a']}, 'onboard')).toEqual({kubeconfig: 'k', context: 'a'});
    expect(() => singleConnection({context: ['a', 'b']}, 'onboard')).toThrow(
      /--context: \["a","b"\] can be given once for onboard/,
    );
  });
});
