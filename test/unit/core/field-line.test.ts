// Finding a field's line again in the text of a parsed document, for findings that point
// at the field rather than the object.
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {fieldLines, type FieldPath} from '../../../src/core/field-line.js';

function lineOfField(text: string, documentLine: number, path: FieldPath): number | undefined {
  return fieldLines(text)(documentLine, path);
}

const deployment = `# a comment before the object
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
  annotations:
    "sidecar.istio.io/inject": "true"
spec:
  replicas: two
  template:
    spec:
      containers:
      - name: app          # kubectl prints sequences at the key's indentation
        image: shop:1
        command:
          - run
          - --port=8080
        ports:
          - containerPort: 8080

            protocl: TCP
          -
            containerPort: 9090
        args: |
          name: not a key
          replicas: 3
      - name: sidecar
        env: [{name: A, value: b}]
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  ports:
  - port: 80
`;

/** 1-based line of a text in the fixture, so expectations read as what they point at. */
function lineOf(text: string, from = 0): number {
  const lines = deployment.split('\n');
  const index = lines.findIndex((line, at) => at >= from && line.includes(text));
  if (index < 0) throw new Error(`${text} is not in the fixture`);
  return index + 1;
}

describe('lineOfField', () => {
  const start = lineOf('apiVersion: apps/v1');

  it('follows keys and positions through block mappings and sequences, in both indentation styles', () => {
    expect(lineOfField(deployment, start, ['spec', 'replicas'])).toBe(lineOf('replicas: two'));
    expect(lineOfField(deployment, start, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe(
      lineOf('image: shop:1'),
    );
    expect(lineOfField(deployment, start, ['spec', 'template', 'spec', 'containers', 0, 'command', 1])).toBe(
      lineOf('--port=8080'),
    );
    expect(lineOfField(deployment, start, ['spec', 'template', 'spec', 'containers', 0, 'ports', 0, 'protocl'])).toBe(
      lineOf('protocl: TCP'),
    );
    expect(lineOfField(deployment, start, ['spec', 'template', 'spec', 'containers', 0, 'ports', 1, 'containerPort']))
      .toBe(lineOf('containerPort: 9090'));
    expect(lineOfField(deployment, start, ['spec', 'template', 'spec', 'containers', 1, 'name'])).toBe(
      lineOf('name: sidecar'),
    );
  });

  it('reads quoted keys, and points at the object itself for an empty path', () => {
    expect(lineOfField(deployment, start, ['metadata', 'annotations', 'sidecar.istio.io/inject'])).toBe(
      lineOf('"sidecar.istio.io/inject"'),
    );
    expect(lineOfField(deployment, start, [])).toBe(start);
  });

  it("does not mistake a literal block's text for keys, nor look past its own document", () => {
    expect(lineOfField(deployment, start, ['spec', 'template', 'spec', 'containers', 0, 'args'])).toBe(
      lineOf('args: |'),
    );
    expect(lineOfField(deployment, start, ['spec', 'template', 'spec', 'containers', 0, 'args', 'replicas'])).toBe(
      lineOf('args: |'),
    );
    expect(lineOfField(deployment, start, ['spec', 'template', 'spec', 'containers', 0, 'replicas'])).toBeUndefined();
    expect(lineOfField(deployment, start, ['spec', 'ports'])).toBeUndefined();
    const service = lineOf('kind: Service') - 1;
    expect(lineOfField(deployment, service, ['spec', 'ports', 0, 'port'])).toBe(lineOf('- port: 80'));
  });

  it('points into a flow collection at its line, and answers undefined past the last item or outside the text', () => {
    expect(lineOfField(deployment, start, ['spec', 'template', 'spec', 'containers', 1, 'env', 0, 'name'])).toBe(
      lineOf('env: [{name: A'),
    );
    expect(lineOfField(deployment, start, ['spec', 'template', 'spec', 'containers', 2])).toBeUndefined();
    expect(lineOfField(deployment, 999, ['spec'])).toBeUndefined();
  });

  it('reads Windows line ends', () => {
    expect(lineOfField(deployment.replaceAll('\n', '\r\n'), start, ['spec', 'replicas'])).toBe(lineOf('replicas: two'));
  });
});

describe('lineOfField on real manifests', () => {
  /** Every path to a key or item of a value, depth first. */
  function* pathsOf(value: unknown, prefix: (string | number)[] = []): Generator<(string | number)[]> {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) {
        yield [...prefix, index];
        yield* pathsOf(item, [...prefix, index]);
      }
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        yield [...prefix, key];
        yield* pathsOf(item, [...prefix, key]);
      }
    }
  }

  it("lands every path of every object of the fixtures and of Istio's analyser test data on a line that holds its last key or item", async () => {
    const {readManifests} = await import('../../../src/adapters/files/read-manifests.js');
    const istioTestData = path.resolve(import.meta.dirname, '../../../../shared/conformance/istio-analyzers/testdata');
    const manifests = await readManifests(['test/fixtures', istioTestData]);
    let checked = 0;
    const misses: string[] = [];
    const perDocument = new Map<string, number>();
    const documentOf = (source: {file: string; documentIndex: number}) => `${source.file}#${source.documentIndex}`;
    for (const {source} of manifests.objects) {
      perDocument.set(documentOf(source!), (perDocument.get(documentOf(source!)) ?? 0) + 1);
    }
    for (const {object, source} of manifests.objects) {
      // Items of a `kind: List` share its document and their paths start below it; JSON is all flow.
      if (perDocument.get(documentOf(source!))! > 1 || source!.file.endsWith('.json')) continue;
      const text = manifests.texts?.get(source!.file) as string;
      const lines = text.split(/\r?\n/);
      for (const path of pathsOf(object)) {
        const line = lineOfField(text, source!.line, path);
        const last = path.at(-1)!;
        const content = line === undefined ? '' : lines[line - 1]!;
        const holds = typeof last === 'number'
          ? /^\s*-|[[,]/.test(content) || content.includes('- ')
          : content.includes(last);
        if (!holds) {
          misses.push(`${source!.file}:${source!.line} ${path.join('.')} → ${line} ${JSON.stringify(content)}`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5_000);
    expect(misses).toEqual([]);
  });
});
