// Input read strictly, through the CLI: text a lenient reader would turn into something else
// (a hexadecimal port, an unknown protocol, a second entry of one service, a number beyond
// double range, a canary name Flagger cannot use) is refused with the flag or file:line, exit 2.
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCommand} from '../helpers/run-command.js';

function configFile(text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sparc-mesh-strict-')), 'sparc-mesh.yaml');
  writeFileSync(file, text);
  return file;
}

describe('--port', () => {
  const cases: [string, RegExp][] = [
    ['0x50', /--port: "0x50" has "0x50" where a port number in decimal belongs/],
    ['1e3', /--port: "1e3" has "1e3" where a port number in decimal belongs/],
    ['0b1010', /--port: "0b1010" has "0b1010" where a port number in decimal belongs/],
    ['080', /--port: "080" has "080" where a port number in decimal belongs/],
    ['http:80:0x1F90', /--port: "http:80:0x1F90" has "0x1F90" where a port number in decimal belongs/],
    ['ftp:21', /--port: "ftp:21" names the port "ftp", whose prefix is no protocol sparc-mesh knows/],
    ['http:80:8080:9', /--port: "http:80:8080:9" has more than three parts/],
  ];
  for (const [port, message] of cases) {
    it(port, async () => {
      const result = await runCommand(['onboard', '-s', 'svc', '--dry-run', '--port', port]);
      expect(result.stderr).toMatch(message);
      expect(result.status).toBe(2);
    });
  }
});

describe('the config file', () => {
  it('refuses a second services entry of one name, with its file:line', async () => {
    const file = configFile(
      'services:\n  - name: checkout\n    profile: default\n  - name: checkout\n    profile: video\n',
    );
    const result = await runCommand(['onboard', '-s', 'checkout', '--dry-run', '--config', file]);
    expect(result.stderr).toContain(`${file}:4: services[1].name: "checkout" is already the name of services[0]`);
    expect(result.status).toBe(2);
  });

  it('refuses a number beyond double range instead of printing null', async () => {
    const file = configFile('services:\n  - name: checkout\n    ports:\n      - port: 1e309\n');
    const result = await runCommand(['onboard', '-s', 'checkout', '--dry-run', '--config', file]);
    expect(result.stderr).toMatch(
      new RegExp(`${file}:4: services\\[0\\]\\.ports\\[0\\]\\.port: is too large to be a number`),
    );
    expect(result.stderr).not.toContain('null');
    expect(result.status).toBe(2);
  });

  it('refuses a port written as hexadecimal text', async () => {
    const file = configFile('services:\n  - name: checkout\n    ports:\n      - port: "0x50"\n');
    const result = await runCommand(['onboard', '-s', 'checkout', '--dry-run', '--config', file]);
    expect(result.stderr).toContain('must be a number in decimal, not string "0x50"');
    expect(result.status).toBe(2);
  });
});

describe('a canary service name', () => {
  it('refuses a name whose Flagger -primary object would exceed 63 characters', async () => {
    const name = 'a'.repeat(56);
    const result = await runCommand(['onboard', '-s', name, '--dry-run', '--enable-canary']);
    expect(result.stderr).toContain(
      `--service: "${name}" is too long for a canary: Flagger names its objects ${name}-primary, which must fit in 63 characters (use at most 55)`,
    );
    expect(result.status).toBe(2);
  });

  it('accepts the longest that fits', async () => {
    const result = await runCommand(['onboard', '-s', 'a'.repeat(55), '--dry-run', '--enable-canary']);
    expect(result.status).toBe(0);
  });
});
