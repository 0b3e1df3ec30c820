// One container's log tail for `debug bundle`: bounded in lines and bytes, asked again for
// fewer lines when the newest ones did not fit (core/debug/log-tail.ts decides).
import type {KubeClient} from '../../adapters/kube/client.js';
import type {LogTarget} from '../../core/debug/log-plan.js';
import {LOG_LIMIT_BYTES, tailStep, type KeptTail} from '../../core/debug/log-tail.js';

export async function readLogTail(client: KubeClient, target: LogTarget, tailLines: number): Promise<KeptTail> {
  let asked = tailLines;
  for (let attempt = 1;; attempt++) {
    const answer = await client.containerLog({namespace: target.namespace, name: target.pod}, target.container, {
      tailLines: asked,
      limitBytes: LOG_LIMIT_BYTES,
      previous: target.previous,
    });
    const step = tailStep(answer, asked, tailLines, attempt);
    if ('keep' in step) return step.keep;
    asked = step.askAgain;
  }
}
