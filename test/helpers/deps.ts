// The dependency bag as tests build it: a fake (or given) kube client, a clock that does not
// move unless told, sleep that returns at once, and progress and output captured in arrays.
import type {ActionDeps} from '../../src/actions/deps.js';
import type {KubeClient} from '../../src/adapters/kube/client.js';
import {terminalPrompt} from '../../src/ui/prompt.js';

export interface TestDeps extends ActionDeps {
  /** Every progress line, in order. */
  lines: string[];
  /** Every text written with `out`, in order. */
  written: string[];
}

export function testDeps(client?: KubeClient, overrides: Partial<ActionDeps> = {}): TestDeps {
  const lines: string[] = [];
  const written: string[] = [];
  return {
    connect: async () => {
      if (!client) throw new Error('this test gave no kube client');
      return client;
    },
    now: () => 0,
    sleep: async () => undefined,
    progress: (line) => lines.push(line),
    out: (text) => written.push(text),
    prompt: terminalPrompt(false),
    lines,
    written,
    ...overrides,
  };
}
