// Golden files for every template × profile × mesh, and the schema check of every
// rendered object. Refresh with UPDATE_GOLDEN=1 and review the diff: that is the point.
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {dirname} from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {renderPlatform, renderService} from '../../src/core/render/pipeline.js';
import {assertSchemas} from '../../src/actions/render-check.js';
import type {KubeObject} from '../../src/core/objects.js';
import {MESHES, PROFILES} from '../../src/core/config/types.js';
import {toYamlStream} from '../../src/ui/manifests.js';
import {builtinTemplates, examplePlatform, service} from '../helpers/render.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

function golden(name: string, actual: string): void {
  const file = fileURLToPath(new URL(`./files/${name}`, import.meta.url));
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE && process.env.CI) {
      throw new Error(`golden file ${name} is missing: run UPDATE_GOLDEN=1 npx vitest run test/golden`);
    }
    mkdirSync(dirname(file), {recursive: true});
    writeFileSync(file, actual);
  }
  expect(actual, `${name} differs from its golden file (UPDATE_GOLDEN=1 refreshes it)`).toBe(
    readFileSync(file, 'utf8'),
  );
}

/** The same check the commands run: throws on any schema problem; Linkerd policy kinds can only be noted. */
async function expectSchemasPass(objects: KubeObject[]): Promise<void> {
  const notes = await assertSchemas(objects, false);
  for (const note of notes) expect(note).toContain("Linkerd's CRDs");
}

const platform = examplePlatform();

describe('onboard renders', () => {
  for (const mesh of MESHES) {
    for (const profile of PROFILES) {
      for (const canary of [false, true]) {
        const name = `onboard/${mesh}-${profile}${canary ? '-canary' : ''}.yaml`;
        it(`${mesh} × ${profile}${canary ? ' × canary' : ''}`, async () => {
          const spec = service(platform, mesh, {
            name: `svc-${profile}`,
            profile,
            callers: ['api-gateway', 'web/frontend'],
            canary: {enabled: canary},
            ...(profile === 'default'
              ? {headerRoutes: [{header: 'x-beta', value: 'true', subset: 'beta'}],
                fault: {abort: {percent: 1, httpStatus: 503}}}
              : {}),
          });
          const {objects} = renderService(builtinTemplates, platform, spec);
          await expectSchemasPass(objects);
          golden(name, toYamlStream(objects));
        });
      }
    }
  }
});

describe('install renders', () => {
  for (const mesh of MESHES) {
    it(`${mesh} control plane and baseline`, async () => {
      const {objects} = renderPlatform(builtinTemplates, platform, mesh);
      await expectSchemasPass(objects);
      golden(`install/${mesh}.yaml`, toYamlStream(objects));
    });
  }

  it('a revision labels namespaces with istio.io/rev instead of istio-injection', () => {
    const revisioned = {...platform, istio: {...platform.istio, revision: '1-30'}};
    const namespace = renderPlatform(builtinTemplates, revisioned, 'istio').objects.find((o) => o.kind === 'Namespace');
    expect(namespace?.metadata.labels).toEqual({'istio.io/rev': '1-30'});
  });
});

describe('the services of the example config', () => {
  for (const mesh of MESHES) {
    it(`every service of examples/sparc-mesh.yaml renders and passes its schemas on ${mesh}`, async () => {
      for (const entry of platform.services) {
        const {objects} = renderService(builtinTemplates, platform,
          service(platform, mesh, entry as unknown as Record<string, unknown>));
        expect(objects.length).toBeGreaterThan(5);
        await expectSchemasPass(objects);
      }
    });
  }
});

describe('rendering is deterministic and fast', () => {
  it('renders the same bytes twice', () => {
    const spec = service(platform, 'istio', {name: 'twice', profile: 'video', callers: ['a', 'b/c']});
    const first = toYamlStream(renderService(builtinTemplates, platform, spec).objects);
    const second = toYamlStream(renderService(builtinTemplates, platform, spec).objects);
    expect(second).toBe(first);
  });

  it('renders and schema-checks 1,000 services', async () => {
    const started = performance.now();
    let count = 0;
    for (let i = 0; i < 1000; i++) {
      const spec = service(platform, 'istio', {name: `svc-${i}`, profile: PROFILES[i % PROFILES.length],
        callers: ['api-gateway']});
      const {objects} = renderService(builtinTemplates, platform, spec);
      count += objects.length;
      await expectSchemasPass(objects);
    }
    // Not a timing assertion (benchmarks are not tests): the figure is printed for the record.
    console.log(
      `rendered and checked 1000 services (${count} objects) in ${(performance.now() - started).toFixed(0)} ms`,
    );
    expect(count).toBeGreaterThan(10_000);
  });
});
