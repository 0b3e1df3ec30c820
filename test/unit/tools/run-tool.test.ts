// runTool with a real child process (node itself): which exits are answers, which are failures.
import {describe, expect, it} from 'vitest';
import {runTool} from '../../../src/adapters/tools/run-tool.js';
import {ToolError} from '../../../src/errors.js';

const exitingOne = {tool: 'node', binary: process.execPath,
  args: ['-e', 'console.log("report"); console.error("a check failed"); process.exit(1)']};

describe('runTool exit codes', () => {
  it('an exit code the tool answers with returns its output', async () => {
    expect(await runTool({...exitingOne, answeringExitCodes: [1]})).toEqual({stdout: 'report',
      stderr: 'a check failed'});
  });

  it('any other non-zero exit is a ToolError with the exit code and what the tool printed', async () => {
    const failure = runTool({...exitingOne, answeringExitCodes: [3]});
    await expect(failure).rejects.toBeInstanceOf(ToolError);
    await expect(failure).rejects.toMatchObject({toolExitCode: 1, stderrTail: 'a check failed\nreport'});
  });
});
