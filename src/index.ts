// The CLI's single entry: oclif's runner and every command, bundled into dist/index.js
// (see scripts/bundle.mjs) so that one copy of oclif serves all of them. oclif finds the
// commands here ("explicit" command discovery in package.json) instead of globbing
// dist/commands/, which keeps the whole CLI one file that bin/run.js can compile from a
// V8 code cache. Keys are oclif command ids (topics joined by ':').
import Offboard from './commands/offboard.js';
import Onboard from './commands/onboard.js';
import InstallIstio from './commands/install/istio.js';
import InstallLinkerd from './commands/install/linkerd.js';
import Validate from './commands/validate/index.js';
import ValidateExplain from './commands/validate/explain.js';
import ValidateReachability from './commands/validate/reachability.js';
import UpgradeIstio from './commands/upgrade/istio.js';
import UpgradePlan from './commands/upgrade/plan.js';

export {execute, run, settings} from '@oclif/core';

export const COMMANDS = {
  'install:istio': InstallIstio,
  'install:linkerd': InstallLinkerd,
  offboard: Offboard,
  onboard: Onboard,
  'upgrade:istio': UpgradeIstio,
  'upgrade:plan': UpgradePlan,
  validate: Validate,
  'validate:explain': ValidateExplain,
  'validate:reachability': ValidateReachability,
};
