// The Jaeger v2 configuration observability setup renders (the chart's `userconfig`), checked by
// the real jaeger binary built from the pinned module: `jaeger validate` loads it as Jaeger
// would start with it (every receiver, extension and pipeline resolved), without serving.
import {mkdtemp, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {execa} from 'execa';
import yaml from 'js-yaml';
import {describe, expect, it} from 'vitest';
import {testbinPath, unavailableReason} from '../cluster/testbin.js';
import {templateSource} from '../../src/adapters/files/templates.js';
import {DEFAULT_PLATFORM} from '../../src/core/config/platform.js';
import {observabilityScope, VALUES_TEMPLATES} from '../../src/core/observability/stack.js';
import {renderValues} from '../../src/core/render/engine.js';

async function validate(config: unknown) {
  const file = join(await mkdtemp(join(tmpdir(), 'sparc-mesh-jaeger-')), 'config.yaml');
  await writeFile(file, yaml.dump(config));
  return execa(testbinPath('jaeger'), ['validate', `--config=${file}`], {reject: false, all: true});
}

describe.skipIf(unavailableReason('jaeger'))('the Jaeger configuration under the real jaeger binary', () => {
  const userconfig = renderValues(templateSource(undefined)(VALUES_TEMPLATES.tracing),
    observabilityScope(structuredClone(DEFAULT_PLATFORM), 'istio')).userconfig as {
      service: {pipelines: {traces: object}};
    };

  it('is accepted by jaeger validate', async () => {
    const result = await validate(userconfig);
    expect(result.exitCode, result.all).toBe(0);
  });

  it('jaeger validate refuses a pipeline naming an exporter the configuration lacks (the check can fail)', async () => {
    const broken = structuredClone(userconfig);
    broken.service.pipelines.traces = {...broken.service.pipelines.traces, exporters: ['no_such_exporter']};
    const result = await validate(broken);
    expect(result.exitCode).not.toBe(0);
    expect(result.all).toContain('no_such_exporter');
  });
});
