// Errors in the user's own files are exit 2 naming the file and line, never "unexpected
// failure"; hints name the command that was run; a note that something was written comes
// only once it was.
import {cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {BUILTIN_TEMPLATES} from '../../src/adapters/files/templates.js';
import {runCommand} from '../helpers/run-command.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'sparc-mesh-messages-'));

describe('a --templates copy with a reference to an unknown value', () => {
  const cases: [string, string[], string][] = [
    ['onboard', ['onboard', '-s', 'svc', '--dry-run'], 'service/serviceaccount.yaml'],
    ['install istio', ['install', 'istio', '--dry-run'], 'policies/namespace-network.yaml'],
  ];
  for (const [name, args, file] of cases) {
    it(`${name}: exit 2 with the file and the line of the reference`, async () => {
      const root = join(scratch(), 'templates');
      cpSync(BUILTIN_TEMPLATES, root, {recursive: true});
      const path = join(root, file);
      const lines = readFileSync(path, 'utf8').split('\n');
      const at = lines.findIndex((line) => line.includes('namespace: "{{'));
      lines[at] = lines[at]!.replace(/\{\{ [\w.]+ \}\}/, '{{ nosuch.value }}');
      writeFileSync(path, lines.join('\n'));
      const result = await runCommand([...args, '--templates', root]);
      expect(result.stderr).toContain(`${path}:${at + 1}: `);
      expect(result.stderr).toContain('unknown value "nosuch" in {{ nosuch.value }}');
      expect(result.stderr).not.toContain('unexpected failure');
      expect(result.status).toBe(2);
    });
  }
});

it('an istio ConfigMap in --mesh-config whose mesh text is not YAML: exit 2 with its file:line', async () => {
  const file = join(scratch(), 'istio.yaml');
  writeFileSync(file,
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: istio\ndata:\n  mesh: |\n    defaultConfig:\n      discoveryAddress: [unclosed\n');
  const result = await runCommand(['validate', 'test/fixtures/validate', '--mesh-config', file]);
  expect(result.stderr).toMatch(new RegExp(`${file}:(8|9): data.mesh is not YAML`));
  expect(result.stderr).not.toContain('unexpected failure');
  expect(result.status).toBe(2);
});

it('upgrade plan istio without --to suggests the plan command', async () => {
  const result = await runCommand(['upgrade', 'plan', 'istio']);
  expect(result.stderr).toContain('Try: sparc-mesh upgrade plan istio --to 1.31.2');
  expect(result.status).toBe(2);
});

it('install linkerd says the key was written only after a write that happened', async () => {
  const blocker = join(scratch(), 'a-file');
  writeFileSync(blocker, '');
  const failed = await runCommand(['install', 'linkerd', '--output-dir', join(blocker, 'out')]);
  expect(failed.status).not.toBe(0);
  expect(failed.stderr).not.toContain('was written');
  const written = await runCommand(['install', 'linkerd', '--output-dir', join(scratch(), 'out')]);
  expect(written.status).toBe(0);
  expect(written.stderr).toContain('private key was written only to the linkerd-identity-issuer Secret');
});
