// The CLI as bin/run.js loads it: oclif's runner and the command table. oclif finds the
// commands here ("explicit" command discovery in package.json) instead of globbing
// dist/commands/. A command's module is required only when oclif asks for that command (its
// flags and help text come from oclif.manifest.json until then), so a command starts without
// compiling the others: scripts/bundle.mjs builds this file and each command into separate
// CommonJS bundles, each command's bundle using the oclif of this one.
import {createRequire} from 'node:module';
import type {Command} from '@oclif/core';

export {Args, Command, Errors, Flags, run, settings} from '@oclif/core';
export {enableDirectStdio, exitUnlessWriting} from './ui/stdio.js';

/** Command id (topics joined by ':') → its module, relative to this file. */
export const COMMAND_MODULES = {
  'canary:abort': './commands/canary/abort.js',
  'canary:promote': './commands/canary/promote.js',
  'canary:rollback': './commands/canary/rollback.js',
  'canary:run': './commands/canary/run.js',
  'canary:status': './commands/canary/status.js',
  'certs:rotate:linkerd': './commands/certs/rotate/linkerd.js',
  'certs:status': './commands/certs/status.js',
  'debug:analyze': './commands/debug/analyze.js',
  'debug:bundle': './commands/debug/bundle.js',
  'debug:connectivity': './commands/debug/connectivity.js',
  'debug:edges': './commands/debug/edges.js',
  'debug:pod': './commands/debug/pod.js',
  'debug:proxy-config': './commands/debug/proxy-config.js',
  'debug:routes': './commands/debug/routes.js',
  'debug:tap': './commands/debug/tap.js',
  'install:istio': './commands/install/istio.js',
  'install:linkerd': './commands/install/linkerd.js',
  'observability:dashboard': './commands/observability/dashboard.js',
  'observability:credentials:grafana': './commands/observability/credentials/grafana.js',
  'observability:setup': './commands/observability/setup.js',
  'observability:status': './commands/observability/status.js',
  offboard: './commands/offboard.js',
  onboard: './commands/onboard.js',
  'upgrade:istio': './commands/upgrade/istio.js',
  'upgrade:linkerd': './commands/upgrade/linkerd.js',
  'upgrade:plan': './commands/upgrade/plan.js',
  validate: './commands/validate/index.js',
  'validate:explain': './commands/validate/explain.js',
  'validate:reachability': './commands/validate/reachability.js',
} as const;

// A plain require, which esbuild leaves alone: the command bundles stay separate files. From
// src/ (bin/dev.js, tests) the modules are TypeScript, which tsx's require compiles whatever
// loader imported this file; their lazy import()s of TypeScript modules need tsx's ESM hooks
// too, registered once.
const nodeRequire = createRequire(import.meta.url);
let tsxEsmRegistered = false;
const requireCommand = import.meta.url.endsWith('.ts')
  ? (module: string) => {
    if (!tsxEsmRegistered) (nodeRequire('tsx/esm/api') as {register: () => unknown}).register();
    tsxEsmRegistered = true;
    return (nodeRequire('tsx/cjs/api') as {require: (id: string, from: string) => unknown}).require(module,
      import.meta.url);
  }
  : nodeRequire;

/** oclif's command table; each entry loads its module on first access. */
export const COMMANDS = Object.defineProperties({} as Record<keyof typeof COMMAND_MODULES, Command.Class>,
  Object.fromEntries(Object.entries(COMMAND_MODULES).map(([id, module]) => [id, {
    enumerable: true,
    get: () => (requireCommand(module) as {default: Command.Class}).default,
  }])));
