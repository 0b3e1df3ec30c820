import {describe, expect, it} from 'vitest';
import {recordTimings, untimed} from '../../../src/actions/timings.js';

describe('phase timings (SPARC_MESH_TIMING)', () => {
  it('adds up each phase, awaits promises, and reports the slowest first with a total', async () => {
    let clock = 0;
    const timings = recordTimings(() => clock);
    expect(timings.time('schema', () => {
      clock += 5;
      return 'checked';
    })).toBe('checked');
    await timings.time('read files', async () => {
      clock += 20;
    });
    timings.time('schema', () => {
      clock += 2.5;
    });
    expect(timings.report().split('\n')).toEqual([
      'read files      20.0 ms',
      'schema           7.5 ms',
      'total           27.5 ms',
    ]);
  });

  it('untimed only runs the work', () => {
    expect(untimed('anything', () => 42)).toBe(42);
  });
});
