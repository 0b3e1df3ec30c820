// The one dependency bag every action receives, as Helm hands each action one
// Configuration: the base command builds it once per run (real cluster connections, the
// clock, progress only when a person watches and --json is off, output through the
// command), and tests build it with a fake kube client and captured output.
import type {KubeClientFactory} from '../adapters/kube/client.js';

/** A line of progress or output; the command decides where it goes. */
export type Report = (line: string) => void;

/** A question for the person at the terminal; only called when prompting is possible. */
export interface Prompt {
  /** True when stdin and stdout are terminals and CI is unset. */
  readonly available: boolean;
  input(question: {message: string; validate?: (answer: string) => string | undefined}): Promise<string>;
  confirm(question: {message: string; default?: boolean}): Promise<boolean>;
}

export interface ActionDeps {
  /** Opens a client for one cluster; created lazily so file-only runs never load client-node. */
  connect: KubeClientFactory;
  /** Milliseconds since the epoch. */
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** What a long step is doing, one line at a time; silent under --json. */
  progress: Report;
  /** Text the command's user asked for (manifests, tables); stdout unless captured. */
  out: Report;
  prompt: Prompt;
}
