// Random and hostile YAML fed to every reader and printer through the CLI, in-process:
// alias bombs, deep nesting, control characters in names, Secrets with plaintext values,
// near-objects, bytes that are not UTF-8. Whatever the input: a meaningful exit code (0, 2
// or 3, never an unexpected failure), under a second, bounded memory, no Secret value and
// no raw control character (or line starting with a CI workflow command) in the output.
import {mkdtempSync, mkdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {assertKubeconfigWithinLimits} from '../../src/adapters/kube/kubeconfig.js';
import {UsageError} from '../../src/errors.js';
import {runCommand} from '../helpers/run-command.js';

const root = mkdtempSync(join(tmpdir(), 'sparc-mesh-hostile-'));
let counter = 0;

function aliasBomb(levels: number): string {
  const lines = ['l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
  for (let level = 1; level <= levels; level++) {
    lines.push(`l${level}: &l${level} [${Array.from({length: 9}, () => `*l${level - 1}`).join(', ')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** Names with the characters terminals and CI logs act on. */
const hostileName = fc.tuple(fc.constantFrom('web', 'Bad_Name', 'a'.repeat(300), ''),
  fc.constantFrom('\u001B[31m', '\u0007', '\r', '\n::error::owned', '\u202E', '\u009B', ''))
  .map(([base, control]) => `${base}${control}`);

const secretValue = fc.stringMatching(/^[A-Za-z0-9]{8,16}$/).map((text) => `S3cret-${text}!`);

const document = fc.oneof(
  fc.tuple(hostileName, secretValue).map(([name, value]) =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${JSON.stringify(name)}\ndata:\n  password: ${
      JSON.stringify(value)
    }\nstringData:\n  token: ${JSON.stringify(value)}\n`
  ),
  hostileName.map((name) =>
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${JSON.stringify(name)}\n  labels: {${JSON.stringify(name)}: ${
      JSON.stringify(name)
    }}\n`
  ),
  hostileName.map((name) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: ${
      JSON.stringify(name)
    }, namespace: shop}\nspec: {selector: {app: web}, ports: [{port: 80}]}\n`
  ),
  fc.constantFrom('apiversion: v1\nkind: ConfigMap\nmetadata: {name: typo}\n', 'kind: Deployment\n',
    'Kind: x\nMetadata: {}\n'),
  fc.integer({min: 6, max: 9}).map((levels) =>
    `${aliasBomb(levels)}apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata: {x: *l${levels}}\n`
  ),
  fc.integer({min: 90, max: 5000}).map((depth) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: ${'['.repeat(depth)}${']'.repeat(depth)}\n`
  ),
  fc.string({unit: 'binary', maxLength: 200}),
  fc.constantFrom(': bad: [\n', 'a: "unclosed\n', '\t- tab\n'),
);

/** Bytes of a file: documents joined, sometimes with a byte that is not UTF-8 in the middle. */
const file = fc.tuple(fc.array(document, {minLength: 1, maxLength: 4}), fc.boolean()).map(([documents, latin1]) => {
  const text = Buffer.from(documents.join('\n---\n'));
  return latin1 ? Buffer.concat([text, Buffer.from([0xE9, 0x0A])]) : text;
});

function writeInput(bytes: Buffer): string {
  const folder = join(root, String(counter++));
  mkdirSync(folder);
  writeFileSync(join(folder, 'input.yaml'), bytes);
  return join(folder, 'input.yaml');
}

function secretsOf(bytes: Buffer): string[] {
  return [...bytes.toString('utf8').matchAll(/S3cret-[A-Za-z0-9]+!/g)].map((match) => match[0]);
}

/** What no human-readable output may hold raw: C0 and C1 controls but tab and newline, DEL, bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\0-\x08\x0B-\x1F\x7F-\x9F\u202A-\u202E\u2066-\u2069]/;
/** What no machine-readable output (JSON, YAML, SARIF, JUnit) may hold raw: their formats escape C0 controls and DEL. */
// eslint-disable-next-line no-control-regex
const RAW_C0 = /[\0-\x08\x0B-\x1F\x7F]/;

const MACHINE_FORMATS = new Set(['json', 'yaml', 'sarif', 'junit']);

async function expectSafe(args: string[], secrets: readonly string[], allowed: readonly number[]): Promise<void> {
  const heapBefore = process.memoryUsage().heapUsed;
  const started = performance.now();
  const result = await runCommand(args);
  const elapsed = performance.now() - started;
  const output = `${result.stdout}${result.stderr}`;
  const context = `${args.join(' ')}\n${output.slice(0, 2000)}`;
  expect(allowed, context).toContain(result.status);
  expect(output, context).not.toMatch(/unexpected failure/);
  expect(elapsed, context).toBeLessThan(1000);
  expect(process.memoryUsage().heapUsed - heapBefore, context).toBeLessThan(256 * 1024 * 1024);
  for (const secret of secrets) expect(output, context).not.toContain(secret);
  const format = args[args.indexOf('-o') + 1] ?? 'table';
  expect((MACHINE_FORMATS.has(format) ? RAW_C0 : RAW_CONTROL).test(result.stdout), context).toBe(false);
  expect(RAW_CONTROL.test(result.stderr), context).toBe(false);
  expect(output.split('\n').some((line) => line.startsWith('::')), context).toBe(false);
}

/** Kubeconfig files are read before any client exists; a file over a limit or not YAML is exit 2 naming it. */
function expectKubeconfigRead(file: string, secrets: readonly string[]): void {
  const started = performance.now();
  try {
    assertKubeconfigWithinLimits({kubeconfig: file});
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toContain(`--kubeconfig: "${file}"`);
    for (const secret of secrets) expect((error as Error).message).not.toContain(secret);
  }
  expect(performance.now() - started).toBeLessThan(1000);
}

describe('hostile input to every reader and printer', {timeout: 240_000}, () => {
  it('validate, in every output format', async () => {
    await runCommand(['validate',
      writeInput(Buffer.from('apiVersion: v1\nkind: Namespace\nmetadata: {name: warm}\n'))]);
    await fc.assert(
      fc.asyncProperty(file, fc.constantFrom('table', 'json', 'yaml', 'sarif', 'junit'), async (bytes, format) => {
        await expectSafe(['validate', writeInput(bytes), '-o', format], secretsOf(bytes), [0, 3]);
      }),
      {numRuns: 40},
    );
  });

  it('validate reachability, as a table and as JSON', async () => {
    await fc.assert(fc.asyncProperty(file, fc.constantFrom('table', 'json'), async (bytes, format) => {
      await expectSafe(['validate', 'reachability', writeInput(bytes), '-o', format], secretsOf(bytes), [0, 3]);
    }), {numRuns: 20});
  });

  it('--mesh-config, --config, --templates and --kubeconfig', async () => {
    const templates = join(root, 'templates');
    // Warm: the first run of each command loads templates, schemas and analysers once per process.
    await runCommand(['onboard', '-s', 'web', '-n', 'shop', '-m', 'istio', '--dry-run']);
    await runCommand(['validate',
      writeInput(Buffer.from('apiVersion: v1\nkind: Namespace\nmetadata: {name: warm}\n'))]);
    await fc.assert(fc.asyncProperty(file, async (bytes) => {
      const input = writeInput(bytes);
      const secrets = secretsOf(bytes);
      const manifest = writeInput(Buffer.from('apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n'));
      await expectSafe(['validate', manifest, '--mesh-config', input], secrets, [0, 2, 3]);
      await expectSafe(['onboard', '-s', 'web', '-n', 'shop', '-m', 'istio', '--dry-run', '--config', input], secrets, [
        0,
        2,
      ]);
      expectKubeconfigRead(input, secrets);
      mkdirSync(join(templates, 'service'), {recursive: true});
      writeFileSync(join(templates, 'service', 'namespace.yaml'), bytes);
      await expectSafe(['onboard', '-s', 'web', '-n', 'shop', '-m', 'istio', '--dry-run', '--templates', templates],
        secrets, [0, 2]);
    }), {numRuns: 15});
  });
});
