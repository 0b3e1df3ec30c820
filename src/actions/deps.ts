// The one dependency bag every action receives, as Helm hands each action one
// Configuration: the base command builds it once per run (real cluster connections, the
// clock, progress only when --json is off, output through the command, prompts only when
// someone can answer), and tests build it with a fake kube client and captured output
// (test/helpers/deps.ts). An action takes `Pick<ActionDeps, ...>` of what it uses.
import type {KubeClientFactory} from '../adapters/kube/client.js';
import type {Report} from '../ui/progress.js';
import type {Prompt} from '../ui/prompt.js';

export type {Prompt, Report};

export interface ActionDeps {
  /** Opens a client for one cluster; created lazily so file-only runs never load client-node. */
  connect: KubeClientFactory;
  /** Milliseconds since the epoch. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** What a long step is doing, one line at a time; silent under --json. */
  progress: Report;
  /** Text the user asked for (manifests, diffs), written as given; silent under --json, whose envelope carries it. */
  out: (text: string) => void;
  prompt: Prompt;
}
