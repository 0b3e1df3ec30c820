#!/usr/bin/env -S node --import tsx --disable-warning=ExperimentalWarning
// Runs the TypeScript sources directly, for development. oclif is given the package root:
// searching up from bin/ would stop at bin/package.json.
require('@oclif/core').execute({development: true, dir: require('node:path').join(__dirname, '..')});
