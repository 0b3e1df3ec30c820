// The entry point bin/run.js loads: oclif's runner, from the same bundle as the
// commands, so that one copy of oclif serves both.
export {execute} from '@oclif/core';
