import {spawn, spawnSync} from 'node:child_process';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {isTerminal, printErrorLine, printLine, printText} from '../../../src/ui/stdio.js';
import {REPO} from '../../helpers/cli.js';

/** Runs `body` in a Node process of its own, with the functions of src/ui/stdio.ts in scope. */
function childArgs(body: string): string[] {
  const module =
    "import {enableDirectStdio, isTerminal, printErrorLine, printLine, printText} from './src/ui/stdio.ts';";
  return ['--import', 'tsx', '--input-type=module', '-e', `${module}\n${body}`];
}

describe('stdio', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes through the streams when the CLI entry has not enabled direct writing (a command run in-process)', () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => Boolean(stdout.push(String(chunk))));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => Boolean(stderr.push(String(chunk))));
    printLine('%s of %d', 'one', 2);
    printText('as is %s');
    printErrorLine('100%% sure');
    expect(stdout).toEqual(['one of 2\n', 'as is %s']);
    expect(stderr).toEqual(['100%% sure\n']);
  });

  it('writes to the descriptors without creating the streams, in order with what a stream writes later', () => {
    const body = `
      enableDirectStdio();
      printLine('first %s', 'line');
      printErrorLine('a note');
      const created = ['stdout', 'stderr'].filter((name) => globalThis[Symbol.for('sparc-mesh.direct-stdio')].created.has(name));
      printText('terminal: ' + isTerminal('stdout') + ', streams created: ' + JSON.stringify(created) + '\\n');
      process.stdout.write('from the stream\\n');
      printLine('after it');`;
    const result = spawnSync(process.execPath, childArgs(body), {cwd: REPO, encoding: 'utf8'});
    expect(result.stderr).toBe('a note\n');
    expect(result.stdout).toBe('first line\nterminal: false, streams created: []\nfrom the stream\nafter it\n');
    expect(result.status).toBe(0);
  });

  it('stops writing quietly when the reader closes the pipe (`| head`), as oclif does', async () => {
    const body = `
      enableDirectStdio();
      for (let i = 0; i < 60000; i++) printLine('line ' + i);
      process.stdout.write('through the stream too\\n');
      printErrorLine('done');`;
    const child = spawn(process.execPath, childArgs(body), {cwd: REPO, stdio: ['ignore', 'pipe', 'pipe']});
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (chunk) => resolve(String(chunk))));
    child.stdout.destroy();
    const status = await new Promise((resolve) => child.on('close', resolve));
    expect(first).toMatch(/^line 0\n/);
    expect(stderr).toBe('done\n');
    expect(status).toBe(0);
  });

  it('answers whether stdin is a terminal from its stream', () => {
    expect(isTerminal('stdin')).toBe(Boolean(process.stdin.isTTY));
  });
});
